namespace Latchkey.Server.Accounts;

/// <summary>What an <see cref="AccountTicket"/> is for.</summary>
internal static class AccountTicketPurposes
{
    public const string VerifyEmail = "verify_email";
    public const string ResetPassword = "reset_password";
}
