namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Tokens</c>: lifetimes of what the protocol endpoints issue that no tenant setting decides.</summary>
public sealed class TokenOptions
{
    /// <summary>How long an authorization code may wait before it is redeemed (RFC 6749 §4.1.2: at most 10 minutes).</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Lifetime of ID tokens (Auth0's default ID-token expiration: 36,000 s).</summary>
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromHours(10);

    /// <summary>Lifetime of an access token requested without <c>audience</c>, usable only at <c>/userinfo</c> (Auth0: 24 h).</summary>
    public TimeSpan UserInfoAccessTokenLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Upper bound for access tokens delivered in the front channel by the implicit flow (Auth0's
    /// <c>token_lifetime_for_web</c> default, 7,200 s); never above the API's own lifetime (RFC 9700 §2.1.2).
    /// </summary>
    public TimeSpan ImplicitAccessTokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How often unusable code and refresh-token rows are deleted (OpenIddict never prunes on its own).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);
}
