using System.Text.Json.Nodes;

namespace Latchkey.Server.Actions;

/// <summary>
/// What a trigger's Actions decided, recorded by the <c>api</c> object as they ran, applied by the caller afterwards:
/// custom claims per token, scope changes, a denial, metadata to persist. <see cref="Failure"/> is set when an Action
/// threw or hit a limit; the flow then fails closed whatever else was recorded.
/// </summary>
internal sealed class ActionDecisions
{
    /// <summary>Auth0's limit on the custom claims of one transaction, all tokens together.</summary>
    public const int MaxClaimBytes = 100 * 1024;

    public Dictionary<string, JsonNode?> AccessTokenClaims { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, JsonNode?> IdTokenClaims { get; } = new(StringComparer.Ordinal);

    /// <summary><c>api.accessToken.addScope</c> (true) and <c>removeScope</c> (false), in call order.</summary>
    public List<(string Scope, bool Add)> ScopeChanges { get; } = [];

    /// <summary>Root-level properties set by <c>api.user.setUserMetadata</c> (null deletes), merged with Auth0's rule.</summary>
    public JsonObject UserMetadata { get; } = [];

    public JsonObject AppMetadata { get; } = [];

    /// <summary>The reason given to <c>api.access.deny</c>; the chain stops after the Action that denied.</summary>
    public string? DenyReason { get; set; }

    /// <summary>The OAuth error a credentials-exchange denial asked for (<c>api.access.deny(code, reason)</c>).</summary>
    public string? DenyCode { get; set; }

    /// <summary>The Action that threw or hit a limit, and why (for the server log; the client sees a short text).</summary>
    public ActionFailure? Failure { get; set; }

    /// <summary>Captured <c>console.*</c> lines of every Action that ran, bounded per Action.</summary>
    public List<string> Logs { get; } = [];

    /// <summary>Names of the Actions that ran, in order.</summary>
    public List<string> Executed { get; } = [];

    public int ClaimBytes { get; set; }

    public bool HasMetadata => UserMetadata.Count > 0 || AppMetadata.Count > 0;

    /// <summary>The scopes after the Actions' changes; OIDC scopes (<c>openid</c>, <c>offline_access</c>…) are left alone.</summary>
    public IReadOnlySet<string> ApplyScopes(IReadOnlySet<string> scopes, IReadOnlySet<string> fixedScopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(fixedScopes);
        if (ScopeChanges.Count == 0)
        {
            return scopes;
        }

        var result = new HashSet<string>(scopes, StringComparer.Ordinal);
        foreach (var (scope, add) in ScopeChanges.Where(c => !fixedScopes.Contains(c.Scope)))
        {
            if (add)
            {
                result.Add(scope);
            }
            else
            {
                result.Remove(scope);
            }
        }

        return result;
    }
}

/// <summary>Why an Action did not complete: <see cref="Kind"/> is shown to the client, <see cref="Detail"/> only logged.</summary>
internal sealed record ActionFailure(string Action, string Kind, string Detail)
{
    /// <summary>The short text that goes back to the application (no script message: it may carry data).</summary>
    public string Description => $"Action \"{Action}\" failed: {Kind}";
}
