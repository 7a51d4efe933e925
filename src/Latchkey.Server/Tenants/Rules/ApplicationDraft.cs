namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// An Application (OAuth client) as a tenant file or a Management API body gives it, with its plain secret. Null
/// members were not given (defaults are the <see cref="Application"/> entity's); a null list item had the wrong JSON
/// type and was reported already.
/// </summary>
internal sealed record ApplicationDraft
{
    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? AppType { get; init; }

    public IReadOnlyList<string?>? Callbacks { get; init; }

    public IReadOnlyList<string?>? AllowedLogoutUrls { get; init; }

    public IReadOnlyList<string?>? WebOrigins { get; init; }

    public IReadOnlyList<string?>? AllowedOrigins { get; init; }

    public IReadOnlyList<string?>? GrantTypes { get; init; }

    public RefreshTokenDraft? RefreshToken { get; init; }

    public string? TokenEndpointAuthMethod { get; init; }

    public bool? IsFirstParty { get; init; }

    /// <summary>Auth0 <c>jwt_configuration.lifetime_in_seconds</c>.</summary>
    public int? IdTokenLifetime { get; init; }

    /// <summary>Auth0 <c>client_metadata</c>; a null value had the wrong JSON type and was reported already.</summary>
    public IReadOnlyDictionary<string, string?>? ClientMetadata { get; init; }

    /// <summary>The entity, defaults filled in (secret not set). Call only when <see cref="ApplicationRules.Check"/> found nothing.</summary>
    public Application ToApplication() => new()
    {
        ClientId = ClientId!,
        Name = Name ?? ClientId!,
        Description = Description,
        AppType = AppType!,
        TokenEndpointAuthMethod = TokenEndpointAuthMethod ?? TokenEndpointAuthMethods.DefaultFor(AppType!),
        IsFirstParty = IsFirstParty ?? true,
        IdTokenLifetime = IdTokenLifetime,
        ClientMetadata = (ClientMetadata ?? new Dictionary<string, string?>()).ToDictionary(p => p.Key, p => p.Value!, StringComparer.Ordinal),
        Callbacks = [.. Callbacks.OrEmpty()],
        AllowedLogoutUrls = [.. AllowedLogoutUrls.OrEmpty()],
        WebOrigins = [.. WebOrigins.OrEmpty()],
        AllowedOrigins = [.. AllowedOrigins.OrEmpty()],
        GrantTypes = GrantTypes is null ? [.. ApplicationRules.DefaultGrantTypes(AppType!)] : [.. GrantTypes.OrEmpty().Distinct(StringComparer.Ordinal)],
        RefreshToken = RefreshToken?.ToPolicy() ?? new RefreshTokenPolicy(),
    };
}

/// <summary>Auth0's <c>refresh_token</c> settings of an <see cref="ApplicationDraft"/>.</summary>
internal sealed record RefreshTokenDraft
{
    public string? RotationType { get; init; }

    public string? ExpirationType { get; init; }

    public int? Leeway { get; init; }

    public int? TokenLifetime { get; init; }

    public int? IdleTokenLifetime { get; init; }

    /// <summary>
    /// Auth0 <c>infinite_token_lifetime</c>: in Latchkey another name for <c>expiration_type: non-expiring</c> (no
    /// absolute lifetime), so the two must agree when both are given.
    /// </summary>
    public bool? InfiniteTokenLifetime { get; init; }

    /// <summary>Auth0 <c>infinite_idle_token_lifetime</c>: only <c>false</c> is accepted (every refresh token has an idle lifetime).</summary>
    public bool? InfiniteIdleTokenLifetime { get; init; }

    /// <summary>The settings with <see cref="RefreshTokenPolicy"/>'s defaults for what was not given.</summary>
    public RefreshTokenPolicy ToPolicy()
    {
        var policy = new RefreshTokenPolicy();
        policy.RotationType = RotationType ?? policy.RotationType;
        policy.ExpirationType = ExpirationType ?? (InfiniteTokenLifetime == true ? ExpirationTypes.NonExpiring : policy.ExpirationType);
        policy.Leeway = Leeway ?? policy.Leeway;
        policy.TokenLifetime = TokenLifetime ?? policy.TokenLifetime;
        policy.IdleTokenLifetime = IdleTokenLifetime ?? policy.IdleTokenLifetime;
        return policy;
    }
}

/// <summary>Lists whose items had the wrong JSON type are not built (the draft was refused).</summary>
internal static class DraftLists
{
    public static IEnumerable<string> OrEmpty(this IReadOnlyList<string?>? items) => (items ?? []).Select(i => i!);
}
