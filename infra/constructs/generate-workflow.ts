import { Aws, type CfnElement, Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * From this many projects a period is rendered by a Distributed Map (child executions); below it by an inline Map
 * (no child executions to start, wait for and pay for). An inline Map writes about 7 history events per project,
 * so 1 000 projects stay at a third of the 25 000-event limit of one execution.
 */
export const DISTRIBUTED_FROM = 1000;

/**
 * Error names (as the handlers throw them) that no retry can fix: a malformed input, and an integrity fault (an
 * archive that disagrees with the plan: `IntegrityError` and its `ReportIntegrityError`). They fail the step at once.
 */
export const NOT_RETRIED = ['BadEventError', 'IntegrityError', 'ReportIntegrityError'] as const;

/** Properties of {@link GenerateWorkflow}. */
export interface GenerateWorkflowProps {
  /**
   * `{ period?, mode?, backfill?, failures }` → `{ status, period?, plan?, held? }`: `planned` with
   * `plan: { period, revision, projectIds }`, `unchanged` with `period`, or a status that ends the run (`no-registry`,
   * `nothing-due`, `no-changes`, `held`); `held` (never-reported periods over the backfill bound) fails the run.
   */
  readonly plan: lambda.IFunction;
  /** `{ plan, projectId }` → one project's PDF and XLSX. */
  readonly renderProject: lambda.IFunction;
  /** `{ plan, rendered, failures }` → programme summary, then the manifest; or the failed projects, named. */
  readonly finish: lambda.IFunction;
  /** `{ period }` → e-mails to the managers, once per recipient and revision. */
  readonly deliver: lambda.IFunction;
  /** Projects rendered at once (an inline Map allows up to 40). */
  readonly maxConcurrency: number;
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the execution log group. */
  readonly logKey: kms.IKey;
}

/**
 * Generate as a Step Functions state machine: plan → (planned?) → render every project, a bounded number at a time
 * → finish (programme summary, manifest last) → deliver. Every step is idempotent (docs/architecture.md §7), so the retries below
 * and a re-run of a failed execution resume the same revision.
 *
 * Input: `{ "mode": "scheduled" }` (the day after the deadline: the plan step picks the period whose deadline has
 * passed last) or `{ "mode": "corrections" }` (daily: the newest reported periods whose sources changed) from the
 * schedules, or `{ "period": "2025-Q3" }` to (re)generate or re-deliver one period by hand. Neither schedule
 * backfills: more than BACKFILL_LIMIT never-reported periods at once (a first deployment over old projects, or a
 * registry typo) are held and fail the execution, naming them, until an operator starts one with
 * `{ "mode": "corrections", "backfill": true }` (the CLI's `run --backfill`).
 *
 * Isolation: a project that fails to render is caught in its Map item; the others render and are archived, the
 * period is neither finished nor delivered, a corrections run goes on with its other periods, and the execution
 * ends failed with a cause naming each failed project (the local `run`'s summary, on AWS).
 */
export class GenerateWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GenerateWorkflowProps) {
    super(scope, id);
    const definition = this.definition(props);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy from growing with each log group. The log
      // group is kept when the stack is deleted, so the rest of the name comes from the stack's id (a UUID per
      // creation): a stack re-created under the same name gets a new log group instead of failing on the old one.
      logGroupName: `/aws/vendedlogs/states/${Stack.of(this).stackName}-generate-${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      retention: props.logRetention,
      encryptionKey: props.logKey,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'pmif-reports: plan → render each project → programme summary and manifest → deliver',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      // Execution data holds plans (keys, hashes, project ids) and counts; no personal data passes through.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      timeout: Duration.hours(2),
    });
    this.acknowledgeWildcards(props);
  }

  /** A Lambda step; without `payload` the function gets the state's whole input. */
  private invoke(stateId: string, fn: lambda.IFunction, resultPath: string, payload?: sfn.TaskInput) {
    const task = new tasks.LambdaInvoke(this, stateId, {
      lambdaFunction: fn,
      ...(payload ? { payload } : {}),
      // The state gets the handler's return value, not Lambda's response envelope.
      payloadResponseOnly: true,
      // Retries Lambda.ServiceException, AWSLambdaException, SdkClientException, ClientExecutionTimeoutException
      // with backoff (2 s, ×2, 6 attempts).
      retryOnServiceExceptions: true,
      resultPath,
    });
    // Throttled: the account's or the function's concurrency is used up; back off and spread the retries.
    task.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(5),
      backoffRate: 2,
      maxAttempts: 8,
      jitterStrategy: sfn.JitterType.FULL,
    });
    // A malformed input, or an archive that disagrees with the plan, fails the same way every time.
    task.addRetry({ errors: [...NOT_RETRIED], maxAttempts: 0 });
    // Errors the handler throws (I/O faults of S3 or SES, a timeout): the steps are idempotent, so try again.
    task.addRetry({ errors: ['States.TaskFailed'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 2 });
    return task;
  }

  /**
   * begin → plan → (render each project → finish → deliver if complete → more corrections?) | deliver again | nothing
   * to do → any failures? The execution's failures (`$.failures`: periods whose projects did not all render) are
   * carried from pass to pass: the plan step skips them, the end fails the execution naming them.
   */
  private definition(props: GenerateWorkflowProps): sfn.IChainable {
    const begin = new sfn.Pass(this, 'Begin', {
      result: sfn.Result.fromObject({ count: 0, periods: [], summary: '' }),
      resultPath: '$.failures',
    });
    // The plan step gets the whole state (the execution input: `mode`, maybe `period` or `backfill`, and the
    // failures so far) and its result goes to `$.planned`, so that the input survives for the corrections loop.
    const plan = this.invoke('Plan', props.plan, '$.planned');
    const { renderAll, renderMany } = this.renderSteps(props);
    const countProjects = new sfn.Pass(this, 'CountProjects', {
      parameters: { 'count.$': 'States.ArrayLength($.planned.plan.projectIds)' },
      resultPath: '$.projects',
    });
    const end = this.end();
    // A corrections run (or a backfill) plans one period at a time (the newest with changed inputs); after
    // delivering it, plan again until nothing has changed, so that one execution brings every period up to date.
    const moreCorrections = new sfn.Choice(this, 'MoreCorrections?')
      .when(
        sfn.Condition.or(
          sfn.Condition.and(sfn.Condition.isPresent('$.mode'), sfn.Condition.stringEquals('$.mode', 'corrections')),
          sfn.Condition.and(sfn.Condition.isPresent('$.backfill'), sfn.Condition.booleanEquals('$.backfill', true)),
        ),
        plan,
      )
      .otherwise(end);
    const finish = this.finishAndDeliver(props, moreCorrections);
    renderAll.next(finish);
    renderMany.next(finish);
    // Nothing new to render, but a delivery may have failed after the last revision was finished: delivering again
    // sends only to recipients the ledger has not recorded.
    const deliverAgain = this.invoke(
      'DeliverUnchanged',
      props.deliver,
      '$.delivery',
      sfn.TaskInput.fromObject({ period: sfn.JsonPath.stringAt('$.planned.period') }),
    );
    const nothingToDo = new sfn.Pass(this, 'NothingToDo', {
      comment: 'No registry, nothing due, no changes since the last revision, or the due periods are held.',
    });
    deliverAgain.next(end);
    nothingToDo.next(end);

    return begin.next(plan).next(
      new sfn.Choice(this, 'Planned?')
        .when(
          sfn.Condition.stringEquals('$.planned.status', 'planned'),
          countProjects.next(
            new sfn.Choice(this, 'ManyProjects?')
              .when(sfn.Condition.numberGreaterThanEquals('$.projects.count', DISTRIBUTED_FROM), renderMany)
              .otherwise(renderAll),
          ),
        )
        .when(
          sfn.Condition.and(
            sfn.Condition.stringEquals('$.planned.status', 'unchanged'),
            sfn.Condition.isPresent('$.planned.period'),
          ),
          deliverAgain,
        )
        .otherwise(nothingToDo),
    );
  }

  /**
   * Finish writes the manifest only when every project rendered, and the period is delivered; otherwise finish names
   * the failed projects and adds the period to the execution's failures (the revision stays open, nothing of it is
   * delivered), and the run goes on.
   */
  private finishAndDeliver(props: GenerateWorkflowProps, next: sfn.IChainable): sfn.TaskStateBase {
    const finish = this.invoke(
      'Finish',
      props.finish,
      '$.finished',
      sfn.TaskInput.fromObject({
        plan: sfn.JsonPath.objectAt('$.planned.plan'),
        rendered: sfn.JsonPath.listAt('$.rendered'),
        failures: sfn.JsonPath.objectAt('$.failures'),
      }),
    );
    const recordFailure = new sfn.Pass(this, 'RecordFailure', {
      comment: "Some projects did not render: keep the period's failure for the end, deliver nothing of it.",
      inputPath: '$.finished.failures',
      resultPath: '$.failures',
    });
    const deliver = this.invoke(
      'Deliver',
      props.deliver,
      '$.delivery',
      sfn.TaskInput.fromObject({ period: sfn.JsonPath.stringAt('$.planned.plan.period') }),
    );
    finish.next(
      new sfn.Choice(this, 'Complete?')
        .when(sfn.Condition.stringEquals('$.finished.status', 'complete'), deliver.next(next))
        .otherwise(recordFailure.next(next)),
    );
    return finish;
  }

  /**
   * The end: a period that failed, or never-reported periods held for want of `backfill`, fail the execution (alarm
   * GenerateExecutionsFailed) with a cause that names them; everything else that could be done is done by then.
   */
  private end(): sfn.Choice {
    return new sfn.Choice(this, 'AnyFailures?')
      .when(
        sfn.Condition.numberGreaterThan('$.failures.count', 0),
        new sfn.Fail(this, 'PeriodsFailed', { error: 'ProjectRenderFailed', causePath: '$.failures.summary' }),
      )
      .when(
        sfn.Condition.isPresent('$.planned.held'),
        new sfn.Fail(this, 'BackfillHeld', { error: 'BackfillHeld', causePath: '$.planned.held.summary' }),
      )
      .otherwise(new sfn.Succeed(this, 'Delivered'));
  }

  /** Every project of the plan rendered: in an inline Map, or above DISTRIBUTED_FROM in a Distributed Map. */
  private renderSteps(props: GenerateWorkflowProps) {
    const items = {
      itemsPath: '$.planned.plan.projectIds',
      itemSelector: {
        plan: sfn.JsonPath.objectAt('$.planned.plan'),
        projectId: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
      },
      maxConcurrency: props.maxConcurrency,
      // One small result per project (`{}`, or the project and its error): the outputs are listed by the manifest.
      resultPath: '$.rendered',
    };
    const renderAll = new sfn.Map(this, 'RenderProjects', items);
    renderAll.itemProcessor(this.isolated('', this.invoke('RenderProject', props.renderProject, sfn.JsonPath.DISCARD)));
    // Above DISTRIBUTED_FROM projects the same step runs in a Distributed Map: each iteration is a child execution
    // with its own history, so the parent stays far below Step Functions' 25 000-event limit (the inline Map writes
    // about 7 events per project, which meets the limit near 3 500 projects).
    const renderMany = new sfn.DistributedMap(this, 'RenderProjectsDistributed', {
      ...items,
      mapExecutionType: sfn.StateMachineType.STANDARD,
    });
    renderMany.itemProcessor(
      this.isolated('InChild', this.invoke('RenderProjectInChild', props.renderProject, sfn.JsonPath.DISCARD)),
    );
    return { renderAll, renderMany };
  }

  /**
   * One Map item, isolated: the render step (with its retries) either succeeds, giving `{}`, or its error is caught
   * and the item gives `{ projectId, error, cause }`, so one project's failure never fails the Map or stops the
   * other projects. (Only failures carry a cause, so the Map's result stays small: a Lambda error's cause is about
   * 1-2 KB, and Step Functions' 256 KB payload limit is met only if more than a hundred projects fail at once; the
   * execution then still fails, with Step Functions' States.DataLimitExceeded instead of the list.)
   */
  private isolated(suffix: string, render: tasks.LambdaInvoke): sfn.IChainable {
    const failed = new sfn.Pass(this, `ProjectFailed${suffix}`, {
      parameters: {
        'projectId.$': '$.projectId',
        'error.$': '$.failure.Error',
        'cause.$': '$.failure.Cause',
      },
    });
    render.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });
    return render.next(new sfn.Pass(this, `ProjectRendered${suffix}`, { result: sfn.Result.fromObject({}) }));
  }

  /** cdk-nag's wildcard findings on the state machine's role that are the narrowest the services allow. */
  private acknowledgeWildcards(props: GenerateWorkflowProps): void {
    const role = this.stateMachine.role;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Log delivery (logs:CreateLogDelivery and the other vended-log APIs) and X-Ray (xray:PutTraceSegments and friends) do not support resource-level permissions.',
    });
    // The Distributed Map starts, watches and stops child executions of this state machine, whose ids it picks.
    const machineId = Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as CfnElement);
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${machineId}"}]}]}`;
    const distributedMapPolicy = this.stateMachine.node.findChild('DistributedMapPolicy');
    for (const suffix of [':*', '/*:*']) {
      Validations.of(distributedMapPolicy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${executions}${suffix}]`,
        reason:
          "The Distributed Map's child executions of this one state machine: their names are chosen by Step Functions at run time, so only a wildcard after the state machine's own name can cover them.",
      });
    }
    for (const fn of new Set([props.plan, props.renderProject, props.finish, props.deliver])) {
      const logicalId = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `Invoking ${fn.node.path.split('/').at(-2)} by its ARN with any version or alias qualifier; the resource is still that one function.`,
      });
    }
  }
}
