import { Aws, type CfnElement, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type CronDay, cronExpression } from '../reporting-calendar';

/** Periods are calendar quarters in Riga (docs/architecture.md §5); the schedules follow its clock, daylight saving included. */
export const SCHEDULE_TIME_ZONE = TimeZone.EUROPE_RIGA;

/** Properties of {@link ReportingSchedule}. */
export interface ReportingScheduleProps {
  /** The days to run on (one EventBridge schedule per cron day), or every day. */
  readonly days: readonly CronDay[] | 'daily';
  /** Local hour (Europe/Riga) at which it runs. */
  readonly hour: number;
  readonly description: string;
  /** What it starts: a function (invoked asynchronously) or a state machine execution. */
  readonly target: { readonly function: lambda.IFunction } | { readonly stateMachine: sfn.IStateMachine };
  /** The JSON the target receives. */
  readonly input: Record<string, unknown>;
  readonly group: scheduler.IScheduleGroup;
  /** Where an invocation goes when Scheduler could not deliver it after the retries. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * A recurring run in Riga time with a retry policy and a dead-letter queue. Scheduler retries only failed
 * deliveries (throttling, an unavailable target); what the target does with the event is its own business (the
 * functions' on-failure queues, the state machine's failed-execution alarm).
 */
export class ReportingSchedule extends Construct {
  readonly schedules: scheduler.Schedule[] = [];
  /** The role Scheduler assumes to start the target (only this construct's schedules use it). */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ReportingScheduleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        // Only schedules of this account may use it (confused-deputy guard).
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `EventBridge Scheduler: ${props.description}`,
    });
    if ('function' in props.target) {
      const fn = props.target.function;
      const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(this.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          'Scheduler may invoke the target function with any version or alias qualifier, as aws-cdk-lib grants it; the resource is still that one function.',
      });
    }
    const days = props.days === 'daily' ? (['daily'] as const) : props.days;
    for (const day of days) {
      const common: targets.ScheduleTargetBaseProps = {
        role: this.role,
        input: scheduler.ScheduleTargetInput.fromObject(props.input),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 10,
        // A run that could not start within six hours is better left to the operator (the DLQ alarm) than started
        // late in the working day.
        maxEventAge: Duration.hours(6),
      };
      const target =
        'function' in props.target
          ? new targets.LambdaInvoke(props.target.function, common)
          : new targets.StepFunctionsStartExecution(props.target.stateMachine, common);
      const when = day === 'daily' ? 'daily' : `day ${day.day} of months ${day.months.join(',')}`;
      this.schedules.push(
        new scheduler.Schedule(this, day === 'daily' ? 'Daily' : `Day${day.day}`, {
          schedule: scheduler.ScheduleExpression.expression(cronExpression(day, props.hour), SCHEDULE_TIME_ZONE),
          target,
          scheduleGroup: props.group,
          description: `${props.description} (${when}, ${props.hour}:00 Europe/Riga)`,
          timeWindow: scheduler.TimeWindow.off(),
        }),
      );
    }
  }
}
