using System.Text.Json.Serialization;

namespace Latchkey.Server.Management.Tickets;

/// <summary>Auth0's <c>POST /api/v2/tickets/email-verification</c> body.</summary>
internal sealed record EmailVerificationTicketRequest
{
    [JsonPropertyName("user_id")]
    public required string UserId { get; init; }

    /// <summary>Where the browser goes after the link is used (with Auth0's <c>success</c>, <c>code</c>, <c>message</c>).</summary>
    [JsonPropertyName("result_url")]
    public string? ResultUrl { get; init; }

    /// <summary>The Application the ticket is for (the page's way back to it when there is no <c>result_url</c>).</summary>
    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    /// <summary>Seconds the link works; 0 or absent: <c>Latchkey:Email:VerificationLinkLifetime</c> (Auth0: 5 days).</summary>
    [JsonPropertyName("ttl_sec")]
    public int TtlSec { get; init; }

    [JsonPropertyName("includeEmailInRedirect")]
    public bool IncludeEmailInRedirect { get; init; }

    /// <summary>Auth0's secondary identity; only the database connection's (<c>provider</c> <c>auth0</c>) exists here.</summary>
    [JsonPropertyName("identity")]
    public TicketIdentity? Identity { get; init; }
}

/// <summary>Auth0's <c>POST /api/v2/tickets/password-change</c> body: <c>user_id</c>, or <c>email</c> with <c>connection_id</c>.</summary>
internal sealed record PasswordChangeTicketRequest
{
    [JsonPropertyName("user_id")]
    public string? UserId { get; init; }

    [JsonPropertyName("email")]
    public string? Email { get; init; }

    [JsonPropertyName("connection_id")]
    public string? ConnectionId { get; init; }

    [JsonPropertyName("result_url")]
    public string? ResultUrl { get; init; }

    [JsonPropertyName("client_id")]
    public string? ClientId { get; init; }

    /// <summary>Seconds the link works; 0 or absent: <c>Latchkey:Email:PasswordResetLinkLifetime</c>.</summary>
    [JsonPropertyName("ttl_sec")]
    public int TtlSec { get; init; }

    /// <summary>Auth0: using the ticket also sets <c>email_verified</c>.</summary>
    [JsonPropertyName("mark_email_as_verified")]
    public bool MarkEmailAsVerified { get; init; }

    [JsonPropertyName("includeEmailInRedirect")]
    public bool IncludeEmailInRedirect { get; init; }
}

/// <summary>Auth0's <c>identity</c> member: <c>{user_id, provider}</c>.</summary>
internal sealed record TicketIdentity
{
    [JsonPropertyName("user_id")]
    public required string UserId { get; init; }

    [JsonPropertyName("provider")]
    public required string Provider { get; init; }
}

/// <summary>Auth0's answer to both ticket endpoints: the link.</summary>
internal sealed record TicketResponse([property: JsonPropertyName("ticket")] string Ticket);
