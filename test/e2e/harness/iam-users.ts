/** An IAM user for the audit tests, created with boto3 in moto. */
export interface IamUserSpec {
  name: string;
  password?: boolean;
  activeKeys?: number;
  inactiveKeys?: number;
  /** A virtual MFA device: enabled for the user, or only created (not yet an MFA of the user's). */
  mfa?: 'enabled' | 'created';
}

/** Python that defines `create_users(iam, specs)`: each IamUserSpec made with the boto3 IAM client `iam`. */
export const CREATE_USERS_PY = `
def create_users(iam, specs):
    for spec in specs:
        name = spec['name']
        iam.create_user(UserName=name)
        if spec.get('password'):
            iam.create_login_profile(UserName=name, Password='Correct-Horse-Battery-1')
        for _ in range(spec.get('activeKeys', 0)):
            iam.create_access_key(UserName=name)
        for _ in range(spec.get('inactiveKeys', 0)):
            key = iam.create_access_key(UserName=name)['AccessKey']['AccessKeyId']
            iam.update_access_key(UserName=name, AccessKeyId=key, Status='Inactive')
        if spec.get('mfa'):
            serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)['VirtualMFADevice']['SerialNumber']
            if spec['mfa'] == 'enabled':
                iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1='123456', AuthenticationCode2='654321')
`;
