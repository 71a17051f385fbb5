/** The AWS partitions aws-mfa knows: each has its own ARNs, endpoints and console. */
export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
export type Partition = (typeof PARTITIONS)[number];

export function isPartition(value: string): value is Partition {
  return (PARTITIONS as readonly string[]).includes(value);
}

/** The partition of an ARN (`arn:aws-cn:iam::…`), else of a region (`cn-north-1`), else `aws`. */
export function partitionOf(arn: string | undefined, region: string | undefined): Partition {
  const fromArn = arn?.split(':')[1];
  if (fromArn !== undefined && isPartition(fromArn)) return fromArn;
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}
