using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;

namespace Latchkey.Server.Actions;

/// <summary>
/// Custom claims from <c>api.accessToken.setCustomClaim</c> / <c>api.idToken.setCustomClaim</c>. Auth0's rule: a claim
/// that collides with a restricted (protocol) claim is not added and the transaction goes on
/// (https://auth0.com/docs/secure/tokens/json-web-tokens/create-custom-claims); docs/actions.md lists the names.
/// A claim Latchkey already put in that token (the profile claims of the ID token, <c>azp</c>…) is not overwritten either.
/// </summary>
internal static class ActionClaims
{
    /// <summary>Auth0's restricted claims, plus <c>scope</c> (the scope decision is the grant's and the Actions' scope API).</summary>
    public static readonly IReadOnlySet<string> Restricted = new HashSet<string>(StringComparer.Ordinal)
    {
        "acr", "act", "active", "amr", "at_hash", "ath", "attest", "aud", "auth_time", "authorization_details", "azp",
        "c_hash", "client_id", "cnf", "cty", "dest", "entitlements", "events", "exp", "groups", "gty", "htm", "htu", "iat",
        "internalService", "iss", "jcard", "jku", "jti", "jwe", "jwk", "kid", "may_act", "mky", "nbf", "nonce", "object_id",
        "org_id", "org_name", "orig", "origid", "permissions", "roles", "rph", "s_hash", "scope", "sid", "sip_callid",
        "sip_cseq_num", "sip_date", "sip_from_tag", "sip_via_branch", "sub", "sub_jwk", "toe", "txn", "typ", "uuid", "vot",
        "vtm", "x5t#S256",
    };

    /// <summary>Whether an Action may set <paramref name="name"/> at all (OpenIddict's private <c>oi_*</c> claims never).</summary>
    public static bool IsAllowed(string name) =>
        name.Length is > 0 and <= 256 && !Restricted.Contains(name) && !name.StartsWith("oi_", StringComparison.Ordinal);

    /// <summary>
    /// Adds the Actions' claims to <paramref name="identity"/>, each with its token(s) as destination, skipping any name
    /// the identity already carries (Latchkey's own claims win). Call after <c>SetDestinations</c>. OpenIddict keeps destinations per
    /// claim type across the code exchange, so a name set for both tokens holds one value: the access token's.
    /// </summary>
    public static void AddTo(ClaimsIdentity identity, ActionDecisions decisions)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(decisions);
        foreach (var name in decisions.AccessTokenClaims.Keys.Union(decisions.IdTokenClaims.Keys, StringComparer.Ordinal))
        {
            var value = decisions.AccessTokenClaims.GetValueOrDefault(name) ?? decisions.IdTokenClaims.GetValueOrDefault(name);
            if (value is null || !IsAllowed(name) || identity.HasClaim(c => c.Type == name))
            {
                continue;
            }

            string[] destinations =
            [
                .. decisions.AccessTokenClaims.ContainsKey(name) ? [OpenIddictConstants.Destinations.AccessToken] : Array.Empty<string>(),
                .. decisions.IdTokenClaims.ContainsKey(name) ? [OpenIddictConstants.Destinations.IdentityToken] : Array.Empty<string>(),
            ];
            var claim = ToClaim(name, JsonSerializer.SerializeToElement(value));
            claim.SetDestinations(destinations);
            identity.AddClaim(claim);
        }
    }

    /// <summary>
    /// A claim whose value type tells the token writer how to put it in the JWT: strings, booleans and numbers as such,
    /// arrays and objects as JSON (OpenIddict's JSON claims accept only those two).
    /// </summary>
    private static Claim ToClaim(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => new Claim(name, value.GetString()!, ClaimValueTypes.String),
        JsonValueKind.True or JsonValueKind.False => new Claim(name, value.GetRawText(), ClaimValueTypes.Boolean),
        JsonValueKind.Number when value.TryGetInt64(out _) => new Claim(name, value.GetRawText(), ClaimValueTypes.Integer64),
        JsonValueKind.Number => new Claim(name, value.GetRawText(), ClaimValueTypes.Double),
        JsonValueKind.Array => new Claim(name, value.GetRawText(), JsonClaimValueTypes.JsonArray),
        _ => new Claim(name, value.GetRawText(), JsonClaimValueTypes.Json),
    };
}
