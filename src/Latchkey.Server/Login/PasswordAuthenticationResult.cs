using Latchkey.Server.Users;

namespace Latchkey.Server.Login;

internal enum PasswordAuthenticationOutcome
{
    Success,

    /// <summary>
    /// Unknown email or wrong password; deliberately indistinguishable to the person logging in. Only the tenant log
    /// tells them apart (<c>fu</c>, <c>fp</c>): with a wrong password the result carries the user.
    /// </summary>
    InvalidCredentials,

    /// <summary>Too many failures for this (user, IP) pair.</summary>
    Throttled,

    /// <summary>Right password, but an administrator blocked the user.</summary>
    UserBlocked,
}

internal sealed record PasswordAuthenticationResult(PasswordAuthenticationOutcome Outcome, User? User = null);
