namespace Latchkey.Server.Sessions;

/// <summary>
/// A server-side login session. The cookie carries only <see cref="Id"/> (inside a Data Protection envelope); the
/// ticket lives here, so logging out, a new login and an administrator's "terminate sessions" really end a session
/// on every node, and a stolen old cookie stops working (SES-1, SES-6).
/// </summary>
public sealed class LoginSession
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The session's <c>sid</c> claim (what ID tokens and logout name).</summary>
    public required string SessionId { get; set; }

    /// <summary>The authentication ticket, serialized and protected with Data Protection.</summary>
    public required byte[] Ticket { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
