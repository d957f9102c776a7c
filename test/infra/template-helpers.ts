/** Reading synthesized CloudFormation: references, policy statements and the state machine definition. */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { Synthesized } from './synth';

/** A reference or an intrinsic, flattened to text: `{ Fn::GetAtt: [X, Arn] }` → `<X.Arn>`, `{ Ref: X }` → `<X>`. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Ref' in v) return `<${v.Ref}>`;
    if ('Fn::GetAtt' in v) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
  }
  return JSON.stringify(value);
}

/** The logical id of the CloudFormation resource behind a construct (an L2 or the L1 itself). */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  const cfn = (construct.node.defaultChild ?? construct) as CfnElement;
  return stack.getLogicalId(cfn);
}

/** One Allow or Deny statement, with actions and resources as flat strings. */
export interface Statement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
  condition?: Record<string, unknown>;
  /** The policy or role it came from. */
  source: string;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function statementsOf(document: unknown, source: string): Statement[] {
  const doc = document as { Statement?: Record<string, unknown>[] };
  return (doc.Statement ?? []).map((s) => {
    const statement: Statement = {
      effect: s.Effect as 'Allow' | 'Deny',
      actions: asArray(s.Action as string | string[]),
      resources: asArray(s.Resource).map(flatten),
      source,
    };
    if (s.Condition) statement.condition = s.Condition as Record<string, unknown>;
    return statement;
  });
}

/**
 * Every identity-policy statement in the template, grouped by the role (logical id) it applies to: the roles'
 * inline policies, and every AWS::IAM::Policy and AWS::IAM::ManagedPolicy attached to them.
 */
export function identityStatementsByRole(json: Synthesized['json']): Map<string, Statement[]> {
  const byRole = new Map<string, Statement[]>();
  const add = (role: string, statements: Statement[]) => byRole.set(role, [...(byRole.get(role) ?? []), ...statements]);
  for (const [id, r] of Object.entries(json.Resources)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Role') {
      add(id, []);
      for (const inline of asArray(p.Policies as { PolicyDocument: unknown; PolicyName: string }[])) {
        add(id, statementsOf(inline.PolicyDocument, `${id}/${inline.PolicyName}`));
      }
    }
    if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') {
      for (const role of asArray(p.Roles as unknown[])) {
        add(flatten(role).replace(/^<|>$/g, ''), statementsOf(p.PolicyDocument, id));
      }
    }
  }
  return byRole;
}

/** The state machine's definition as JSON, with intrinsics flattened (`"Resource": "<PlanFunction….Arn>"`). */
export function stateMachineDefinition(properties: Record<string, unknown>): StateMachineDefinition {
  const definition = properties.DefinitionString;
  return JSON.parse(flatten(definition)) as StateMachineDefinition;
}

export interface State {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: unknown;
  ResultPath?: string | null;
  Retry?: { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number }[];
  Choices?: Record<string, unknown>[];
  Default?: string;
  ItemsPath?: string;
  ItemSelector?: Record<string, string>;
  MaxConcurrency?: number;
  ItemProcessor?: StateMachineDefinition;
  InputPath?: string;
  Result?: unknown;
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
  Error?: string;
  CausePath?: string;
}

export interface StateMachineDefinition {
  StartAt: string;
  States: Record<string, State>;
  TimeoutSeconds?: number;
}
