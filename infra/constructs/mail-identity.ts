import { Annotations, Arn, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct, type IConstruct } from 'constructs';
import type { MailIdentityConfig } from '../config';

/** Properties of {@link MailIdentity}. */
export interface MailIdentityProps {
  readonly identity: MailIdentityConfig;
  /** The From address of every mail (inside the identity). */
  readonly mailFrom: string;
}

/**
 * The SES identity the product sends from: a domain (DKIM records to publish, printed as stack outputs) or a single
 * address (SES mails it a verification link). With `existing`, an identity the account already has is used as it
 * is: the stack neither creates nor deletes it (SES allows one identity of a name per account and region, so a
 * second deployment, or an account whose domain is already verified, could not create it again).
 */
export class MailIdentity extends Construct {
  /** The identity, when this stack owns it. */
  readonly identity?: ses.EmailIdentity;
  private readonly mailFrom: string;

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    this.mailFrom = props.mailFrom;
    const { kind, value, placeholder, existing } = props.identity;
    if (placeholder) {
      Annotations.of(this).addWarningV2(
        'pmif:sesIdentity',
        `No SES identity given; using the placeholder ${value}, which can never be verified. Deploy with -c pmif:sesIdentity=<domain or address>.`,
      );
    }
    if (existing) return;
    const identity = new ses.EmailIdentity(this, 'Identity', {
      identity: kind === 'domain' ? ses.Identity.domain(value) : ses.Identity.email(value),
    });
    this.identity = identity;
    if (kind === 'domain') {
      identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          description: `Publish as a CNAME in DNS so SES can verify ${value}`,
          value: `${record.name} CNAME ${record.value}`,
        }).overrideLogicalId(`DkimRecord${i + 1}`);
      });
    }
  }

  /**
   * `ses:SendEmail` and `ses:SendRawEmail` from the product's From address only. The resource is every identity of
   * this account and region: SES authorises a send against the sender's identity and, while the account is in the
   * sandbox, against each recipient's verified identity as well, so a grant on the sender identity alone fails with
   * AccessDenied in the sandbox. The conditions keep it narrow: `ses:FromAddress` pins the From address, and
   * `ses:ApiVersion` the API the code uses (v2).
   */
  grantSend(grantee: iam.IGrantable & IConstruct, configurationSetArn?: string): void {
    const identities = Arn.format({ service: 'ses', resource: 'identity', resourceName: '*' }, Stack.of(this));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail', 'ses:SendRawEmail'],
        resources: configurationSetArn ? [identities, configurationSetArn] : [identities],
        conditions: {
          StringEquals: { 'ses:FromAddress': this.mailFrom, 'ses:ApiVersion': '2' },
        },
      }),
    );
    Validations.of(grantee).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ses:<AWS::Region>:<AWS::AccountId>:identity/*]',
      reason:
        "In the SES sandbox a send is authorised against each recipient's verified identity as well as the sender's; the ses:FromAddress and ses:ApiVersion conditions limit it to the product's own From address.",
    });
  }
}
