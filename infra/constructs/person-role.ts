import { CfnOutput } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** Properties of {@link PersonRole}. */
export interface PersonRoleProps {
  /** Who may assume the role. */
  readonly assumedBy: iam.IPrincipal;
  /** The role's description in IAM. */
  readonly description: string;
  /** The stack output that gives people the role's ARN: what it says, and its logical id if not the default. */
  readonly output: { readonly description: string; readonly logicalId?: string };
}

/**
 * A role people assume rather than a function (coordinators, managers, auditors, the operators who hold or purge):
 * the role, and its ARN as a stack output for them. Each subclass grants what its people may do, and nothing else.
 */
export abstract class PersonRole extends Construct {
  readonly role: iam.Role;

  protected constructor(scope: Construct, id: string, props: PersonRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', { assumedBy: props.assumedBy, description: props.description });
    const output = new CfnOutput(this, 'RoleArn', { description: props.output.description, value: this.role.roleArn });
    if (props.output.logicalId) output.overrideLogicalId(props.output.logicalId);
  }
}
