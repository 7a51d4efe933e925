using Latchkey.Server.Users;

namespace Latchkey.Server.Login;

internal enum PasswordAuthenticationOutcome
{
    Success,

    /// <summary>Unknown email or wrong password; deliberately indistinguishable.</summary>
    InvalidCredentials,

    /// <summary>Too many failures for this (user, IP) pair.</summary>
    Throttled,

    /// <summary>Right password, but an administrator blocked the user.</summary>
    UserBlocked,
}

internal sealed record PasswordAuthenticationResult(PasswordAuthenticationOutcome Outcome, User? User = null);
