using Latchkey.Server.Tenants;

namespace Latchkey.Server.Protocol;

/// <summary>Small Auth0 rules shared by the authorize and token paths.</summary>
internal static class ProtocolRules
{
    /// <summary>Auth0's RBAC "Add Permissions in the Access Token".</summary>
    public static bool AddsPermissionsClaim(Api api) =>
        api.EnforcePolicies && string.Equals(api.TokenDialect, TokenDialects.AccessTokenAuthz, StringComparison.Ordinal);

    /// <summary>The audience Auth0 adds when <c>openid</c> is granted: <c>&lt;issuer&gt;userinfo</c>.</summary>
    public static string UserInfoAudience(Uri issuer) => issuer.AbsoluteUri + "userinfo";
}
