namespace Latchkey.Server.Tenants.Rules;

/// <summary>
/// An API as a tenant file or a Management API body gives it: null members were not given (their defaults are the
/// <see cref="Api"/> entity's); a null list item had the wrong JSON type and was reported already.
/// </summary>
internal sealed record ApiDraft
{
    public string? Identifier { get; init; }

    public string? Name { get; init; }

    public IReadOnlyList<ApiScopeDraft?>? Scopes { get; init; }

    public string? SigningAlg { get; init; }

    public int? TokenLifetime { get; init; }

    public int? TokenLifetimeForWeb { get; init; }

    public bool? SkipConsentForVerifiableFirstPartyClients { get; init; }

    public bool? AllowOfflineAccess { get; init; }

    public bool? EnforcePolicies { get; init; }

    public string? TokenDialect { get; init; }

    /// <summary>The entity, defaults filled in. Call only when <see cref="ApiRules.Check"/> found nothing.</summary>
    public Api ToApi()
    {
        var api = new Api { Identifier = Identifier!, Name = Name ?? Identifier! };
        api.Scopes = (Scopes ?? []).Select(s => new ApiScope { Value = s!.Value!, Description = s.Description }).ToList();
        api.SigningAlg = SigningAlg ?? api.SigningAlg;
        api.TokenLifetime = TokenLifetime ?? api.TokenLifetime;
        api.TokenLifetimeForWeb = TokenLifetimeForWeb ?? Math.Min(Api.DefaultTokenLifetimeForWeb, api.TokenLifetime);
        api.SkipConsentForVerifiableFirstPartyClients = SkipConsentForVerifiableFirstPartyClients ?? api.SkipConsentForVerifiableFirstPartyClients;
        api.AllowOfflineAccess = AllowOfflineAccess ?? api.AllowOfflineAccess;
        api.EnforcePolicies = EnforcePolicies ?? api.EnforcePolicies;
        api.TokenDialect = TokenDialect ?? api.TokenDialect;
        return api;
    }
}

/// <summary>One scope (Auth0: permission) of an <see cref="ApiDraft"/>.</summary>
internal sealed record ApiScopeDraft(string? Value, string? Description);
