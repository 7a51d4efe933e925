namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Sessions</c>: the login session that <c>/authorize</c> reads.</summary>
public sealed class SessionOptions
{
    /// <summary>
    /// How long a login lasts before the user must log in again, whatever their activity (Auth0's "Require log in after",
    /// 7 days; not sliding, so <c>auth_time</c> stays the login time).
    /// </summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(7);
}
