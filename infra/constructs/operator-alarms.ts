import { Aws, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../storage-layout';

/** Properties of {@link OperatorAlarms}. */
export interface OperatorAlarmsProps {
  /** Subscribed to the topic by e-mail (the address confirms the subscription once). */
  readonly email?: string;
}

/**
 * The operator's pager: one SNS topic (encrypted with its own key, TLS-only) and the alarms that publish to it.
 * Every alarm fires on the first occurrence (one error, one failed execution, one dead letter): this system runs a
 * few times a quarter, so there is no noise to average away. Each also reports its return to OK.
 */
export class OperatorAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: OperatorAlarmsProps) {
    super(scope, id);
    const key = new kms.Key(this, 'Key', {
      description: 'pmif-reports alarm topic',
      enableKeyRotation: true,
    });
    // CloudWatch publishes alarm messages to the encrypted topic; the AWS managed SNS key cannot grant it this.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'pmif-reports alarms',
      masterKey: key,
      enforceSSL: true,
    });
    // `enforceSSL` gives the topic a policy of its own, holding only the TLS deny; it replaces SNS's default policy,
    // so nothing, CloudWatch included, could publish. Allow CloudWatch alarms of this account, and only those.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    this.action = new actions.SnsAction(this.topic);
  }

  private alarm(id: string, metric: cloudwatch.IMetric, description: string): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
    return alarm;
  }

  /** Any invocation error (an exception or a timeout; rejected uploads are results, not errors). */
  onFunctionErrors(name: string, fn: lambda.IFunction): cloudwatch.Alarm {
    return this.alarm(
      `${name}Errors`,
      fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      `The ${name} function failed at least once in 5 minutes. Its log group has the error; failed asynchronous events also land in a dead-letter queue.`,
    );
  }

  /** Any execution that failed or timed out. */
  onStateMachineFailures(name: string, stateMachine: sfn.IStateMachine): void {
    this.alarm(
      `${name}ExecutionsFailed`,
      stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      `An execution of the ${name} state machine failed. Fix the cause and start a new execution with the same input; finished steps are not redone.`,
    );
    this.alarm(
      `${name}ExecutionsTimedOut`,
      stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      `An execution of the ${name} state machine timed out.`,
    );
  }

  /** Any message waiting in a dead-letter queue. */
  onDeadLetters(name: string, queue: sqs.IQueue): cloudwatch.Alarm {
    return this.alarm(
      `${name}Visible`,
      queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      `The ${name} dead-letter queue holds a message: an event was given up on. Read it, fix the cause, then replay or delete it.`,
    );
  }

  /**
   * Any non-zero value of one of the product's own metrics (Embedded Metric Format, namespace `PmifReports`, one
   * `service` dimension per job), e.g. an e-mail the ledger gave up on: the function succeeded, so no error alarm
   * would fire.
   */
  onJobMetric(metricName: string, service: string, description: string): cloudwatch.Alarm {
    return this.alarm(
      `${metricName}${service[0]?.toUpperCase()}${service.slice(1)}`,
      new cloudwatch.Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service },
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.SUM,
      }),
      description,
    );
  }
}
