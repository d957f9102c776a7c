import { Annotations, CfnOutput } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { MailIdentityConfig } from '../config';

/** Properties of {@link MailIdentity}. */
export interface MailIdentityProps {
  readonly identity: MailIdentityConfig;
}

/**
 * The SES identity the product sends from: a domain (DKIM records to publish, printed as stack outputs) or a single
 * address (SES mails it a verification link). Send permission is granted on this identity's ARN only.
 */
export class MailIdentity extends Construct {
  readonly identity: ses.EmailIdentity;

  constructor(scope: Construct, id: string, props: MailIdentityProps) {
    super(scope, id);
    const { kind, value, placeholder } = props.identity;
    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: kind === 'domain' ? ses.Identity.domain(value) : ses.Identity.email(value),
    });
    if (placeholder) {
      Annotations.of(this).addWarningV2(
        'pmif:sesIdentity',
        `No SES identity given; using the placeholder ${value}, which can never be verified. Deploy with -c pmif:sesIdentity=<domain or address>.`,
      );
    }
    if (kind === 'domain') {
      this.identity.dkimRecords.forEach((record, i) => {
        new CfnOutput(this, `DkimRecord${i + 1}`, {
          description: `Publish as a CNAME in DNS so SES can verify ${value}`,
          value: `${record.name} CNAME ${record.value}`,
        }).overrideLogicalId(`DkimRecord${i + 1}`);
      });
    }
  }

  /** `ses:SendEmail` and `ses:SendRawEmail`, on this identity only. */
  grantSend(grantee: iam.IGrantable): void {
    this.identity.grantSendEmail(grantee);
  }
}
