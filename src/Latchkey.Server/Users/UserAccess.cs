using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Users;

/// <summary>
/// The one answer to "may this user (still) get tokens?", asked at <c>/authorize</c>, at every code and refresh
/// exchange, at <c>/userinfo</c> and after a password check: a user who no longer exists or is blocked may not. Each
/// caller only maps the <see cref="UserDenial"/> to its own protocol error. New conditions (a password changed since
/// the session began, a pending MFA enrolment) belong in <see cref="Check"/>, so every path enforces them
/// (docs/reference/security-catalogue.md BF-5, RT-8).
/// </summary>
internal sealed class UserAccess(LatchkeyDbContext db)
{
    /// <summary>Auth0's description for a blocked user; auth0-spa-js logs out locally when it sees it (docs/reference/auth0-wire.md R4.8).</summary>
    public const string BlockedDescription = "user is blocked";

    public static UserDenial Check(User? user) => user switch
    {
        null => UserDenial.Unknown,
        { Blocked: true } => UserDenial.Blocked,
        _ => UserDenial.None,
    };

    /// <summary>Loads the current row of <paramref name="userId"/> (a token's or session's <c>sub</c>) and checks it.</summary>
    public async ValueTask<(User? User, UserDenial Denial)> FindAsync(string? userId, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrEmpty(userId)
            ? null
            : await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.UserId == userId, cancellationToken);
        return (user, Check(user));
    }
}
