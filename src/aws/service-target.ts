/** Where and how to reach one AWS service, as the AWS tools resolve it for a profile. */
export interface ServiceTarget {
  readonly region: string | undefined;
  /** An endpoint URL override; undefined for the SDK's endpoint of the region. */
  readonly endpoint: string | undefined;
  /** A PEM file path (AWS_CA_BUNDLE or ca_bundle). */
  readonly caBundle: string | undefined;
}
