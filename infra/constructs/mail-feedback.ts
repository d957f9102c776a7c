import { Arn, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of {@link MailFeedback}. */
export interface MailFeedbackProps {
  /**
   * An SES configuration set the account already has (`pmif:sesConfigurationSet`): the stack adds its own event
   * destination to it and never creates, changes or deletes the set. Undefined: the stack creates one.
   */
  readonly existingConfigurationSet?: string;
  /** Records each bounce and complaint in the ledger (functions/feedback/handler.ts). */
  readonly handler: lambda.IFunction;
}

/**
 * Bounces and complaints reach the ledger: the configuration set every mail is sent with publishes its BOUNCE and
 * COMPLAINT events to an SNS topic (encrypted with its own key, TLS-only), which invokes the feedback function.
 * SNS rather than EventBridge: SES publishes event-destination events only to the default bus, where a rule would
 * have to pick ours out of every other sender's; the topic carries this stack's events alone.
 */
export class MailFeedback extends Construct {
  readonly configurationSet: ses.IConfigurationSet;
  /** The configuration set's ARN, for the senders' `ses:SendEmail` grant. */
  readonly configurationSetArn: string;
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    // A created set gets a generated name, so a re-created stack (or a second one) never collides with it.
    this.configurationSet = props.existingConfigurationSet
      ? ses.ConfigurationSet.fromConfigurationSetName(this, 'ConfigurationSet', props.existingConfigurationSet)
      : new ses.ConfigurationSet(this, 'ConfigurationSet', { reputationMetrics: true });
    this.configurationSetArn = Arn.format(
      { service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName },
      Stack.of(this),
    );
    const key = new kms.Key(this, 'Key', { description: 'pmif-reports mail feedback topic', enableKeyRotation: true });
    // SES encrypts what it publishes to the topic; the AWS managed SNS key cannot grant it that.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'pmif-reports bounces and complaints',
      masterKey: key,
      enforceSSL: true,
    });
    // The destination also allows SES to publish to the topic, for this configuration set and account only.
    new ses.ConfigurationSetEventDestination(this, 'Destination', {
      configurationSet: this.configurationSet,
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(props.handler));
  }
}
