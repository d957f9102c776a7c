import { type Stack, Validations } from 'aws-cdk-lib';

/** Construct id of aws-cdk-lib's singleton that applies S3 bucket notification configurations. */
const HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

/**
 * aws-cdk-lib applies a bucket's event notifications through a custom resource whose role always gets the AWS
 * managed AWSLambdaBasicExecutionRole (even when a role is supplied). Acknowledge that one finding on that role.
 * Call after the first `addEventNotification`.
 */
export function acknowledgeNotificationsHandler(stack: Stack): void {
  const handler = stack.node.tryFindChild(HANDLER_ID);
  if (!handler) throw new Error(`${HANDLER_ID} not found: add the bucket notifications first`);
  Validations.of(handler).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      "aws-cdk-lib's bucket-notifications handler runs only during deployments and always attaches this managed policy to write its own logs; the policy grants log writing only.",
  });
}
