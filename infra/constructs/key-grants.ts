import type { IAspect } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';

/**
 * Every KMS key of the stack lets only AWS services create grants on it (Control Tower CT.KMS.PR.3): a grant is a
 * lasting, policy-free way to use a key, and nothing in this product hands one to a person. S3, CloudWatch Logs
 * and SNS use the keys without grants; a service that does need one (`kms:GrantIsForAWSResource`) still may.
 * An aspect, so that a key added later gets the statement too.
 */
export class KeyGrantsForAwsServicesOnly implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof kms.Key)) return;
    node.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyGrantsExceptForAwsServices',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
        },
      }),
    );
  }
}
