/**
 * Lambda entry point of the drop page and its endpoint, behind a Function URL (one origin for page and API): the
 * Function URL event → the shared router (`router.ts`) → the Function URL response. Files never pass through here:
 * the page uploads straight to S3 with the presigned POST this endpoint hands out.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { type AwsRuntime, endpointDeps, onColdStart } from '../aws/deps';
import { type EndpointResponse, faultResponse, handleEndpointRequest, MAX_JSON_BODY } from './router';

function toResult(response: EndpointResponse): APIGatewayProxyStructuredResultV2 {
  const binary = response.body instanceof Uint8Array;
  return {
    statusCode: response.status,
    headers: response.headers,
    body: binary ? Buffer.from(response.body).toString('base64') : (response.body as string),
    isBase64Encoded: binary,
  };
}

/** The handler on a given runtime; `s3Client` signs the presigned POSTs (tests point it at moto). */
export function createUploadHandler(
  runtime: AwsRuntime,
  options: { s3Client?: S3Client; secretsClient?: SecretsManagerClient; region?: string } = {},
) {
  const { deps, config } = runtime;
  const endpoint = endpointDeps(runtime, options);
  const region = options.region ?? process.env.AWS_REGION ?? 'eu-north-1';
  const uploadOrigin = `https://${config.dataBucket}.s3.${region}.amazonaws.com`;
  return (event: APIGatewayProxyEventV2, context?: Context): Promise<APIGatewayProxyStructuredResultV2> =>
    runtime.invoke(context, async () => {
      const method = event.requestContext.http.method;
      let body: string | undefined;
      if (event.body !== undefined) {
        body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
        if (body.length > MAX_JSON_BODY) return toResult({ status: 413, headers: {}, body: '' });
      }
      try {
        const response = await handleEndpointRequest(
          endpoint,
          {
            method,
            path: event.rawPath,
            query: new URLSearchParams(event.rawQueryString),
            ...(body === undefined ? {} : { body }),
          },
          { uploadOrigin },
        );
        return toResult(response);
      } catch (err) {
        // A fault (S3, Secrets Manager): logged by name, answered with a plain page, never a trace.
        deps.log.error('upload.fault', { error: (err as Error).name });
        return toResult(faultResponse());
      }
    });
}

const handlers = onColdStart('upload', (runtime) => createUploadHandler(runtime));

/** Lambda handler: configured from the environment. */
export const handler = async (event: APIGatewayProxyEventV2, context?: Context) => handlers()(event, context);
