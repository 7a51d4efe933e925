namespace Latchkey.Server.Accounts;

/// <summary>
/// A link sent by mail or handed out as a Management API ticket: email verification or password reset. Only the
/// SHA-256 of the link's random token is stored (a database reader cannot use a pending link); the link works once
/// (<see cref="UsedAt"/>, set by one conditional UPDATE) and until <see cref="ExpiresAt"/>.
/// </summary>
public sealed class AccountTicket
{
    /// <summary>Lower-case hex SHA-256 of the token in the link.</summary>
    public required string TokenHash { get; set; }

    /// <summary><see cref="AccountTicketPurposes"/>: what following the link does.</summary>
    public required string Purpose { get; set; }

    public required string UserId { get; set; }

    /// <summary>The Application the request came from (the page's way back to it; the tenant log).</summary>
    public string? ClientId { get; set; }

    /// <summary>Where the browser goes after the link is used (Auth0 tickets' <c>result_url</c>).</summary>
    public string? ResultUrl { get; set; }

    /// <summary>Auth0's <c>includeEmailInRedirect</c>: the result URL gets <c>email=</c>.</summary>
    public bool IncludeEmailInRedirect { get; set; }

    /// <summary>Auth0's <c>mark_email_as_verified</c> (password-change tickets): a reset also verifies the email.</summary>
    public bool MarkEmailAsVerified { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
