namespace Latchkey.Server.Logs;

/// <summary>
/// Auth0's log event type codes that Latchkey records (Auth0 "Log Event Type Codes"; the table in docs/logs.md), each
/// with Auth0's event name, which is the entry's <c>description</c> when nothing more specific is known.
/// </summary>
internal static class LogEventTypes
{
    public const string SuccessLogin = "s";
    public const string FailedLogin = "f";
    public const string WrongPassword = "fp";
    public const string UnknownUser = "fu";
    public const string BlockedAccount = "limit_wc";
    public const string SuccessSignup = "ss";
    public const string FailedSignup = "fs";
    public const string SuccessLogout = "slo";
    public const string SuccessSilentAuth = "ssa";
    public const string FailedSilentAuth = "fsa";
    public const string SuccessCodeExchange = "seacft";
    public const string FailedCodeExchange = "feacft";
    public const string SuccessClientCredentialsExchange = "seccft";
    public const string FailedClientCredentialsExchange = "feccft";
    public const string SuccessRefreshExchange = "sertft";
    public const string FailedRefreshExchange = "fertft";
    public const string RefreshTokenReuse = "ferrt";
    public const string SuccessApiOperation = "sapi";
    public const string FailedApiOperation = "fapi";
    public const string SuccessChangePassword = "scp";
    public const string FailedChangePassword = "fcp";
    public const string SuccessChangePasswordRequest = "scpr";
    public const string FailedChangePasswordRequest = "fcpr";
    public const string SuccessVerificationEmail = "sv";
    public const string FailedVerificationEmail = "fv";
    public const string SuccessVerificationEmailRequest = "svr";
    public const string FailedVerificationEmailRequest = "fvr";
    public const string FailedSendingNotification = "fn";

    /// <summary>Every recorded type and Auth0's name for it.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SuccessLogin] = "Success Login",
        [FailedLogin] = "Failed Login",
        [WrongPassword] = "Failed Login (Incorrect Password)",
        [UnknownUser] = "Failed Login (Invalid Email/Username)",
        [BlockedAccount] = "Blocked Account",
        [SuccessSignup] = "Success Signup",
        [FailedSignup] = "Failed Signup",
        [SuccessLogout] = "Success Logout",
        [SuccessSilentAuth] = "Success Silent Auth",
        [FailedSilentAuth] = "Failed Silent Auth",
        [SuccessCodeExchange] = "Success Exchange (Authorization Code for Access Token)",
        [FailedCodeExchange] = "Failed Exchange (Authorization Code for Access Token)",
        [SuccessClientCredentialsExchange] = "Success Exchange (Client Credentials for Access Token)",
        [FailedClientCredentialsExchange] = "Failed Exchange (Client Credentials for Access Token)",
        [SuccessRefreshExchange] = "Success Exchange (Refresh Token for Access Token)",
        [FailedRefreshExchange] = "Failed Exchange (Refresh Token for Access Token)",
        [RefreshTokenReuse] = "Failed Exchange (Rotating Refresh Token reused)",
        [SuccessApiOperation] = "Success API Operation",
        [FailedApiOperation] = "Failed API Operation",
        [SuccessChangePassword] = "Success Change Password",
        [FailedChangePassword] = "Failed Change Password",
        [SuccessChangePasswordRequest] = "Success Change Password Request",
        [FailedChangePasswordRequest] = "Failed Change Password Request",
        [SuccessVerificationEmail] = "Success Verification Email",
        [FailedVerificationEmail] = "Failed Verification Email",
        [SuccessVerificationEmailRequest] = "Success Verification Email Request",
        [FailedVerificationEmailRequest] = "Failed Verification Email Request",
        [FailedSendingNotification] = "Failed Sending Notification",
    };
}
