namespace Latchkey.Server.Tenants;

/// <summary>Auth0's <c>token_endpoint_auth_method</c> values for an Application.</summary>
public static class TokenEndpointAuthMethods
{
    /// <summary>A public client: no secret (<c>spa</c>, <c>native</c>).</summary>
    public const string None = "none";

    /// <summary>The secret in the form body (RFC 6749 §2.3.1), Auth0's default for confidential clients.</summary>
    public const string ClientSecretPost = "client_secret_post";

    /// <summary>The secret in HTTP Basic authentication (RFC 6749 §2.3.1).</summary>
    public const string ClientSecretBasic = "client_secret_basic";

    public static readonly string[] All = [None, ClientSecretPost, ClientSecretBasic];

    /// <summary>What Auth0 gives an application of <paramref name="appType"/> when the method is not sent.</summary>
    public static string DefaultFor(string appType) => AppTypes.IsPublic(appType) ? None : ClientSecretPost;
}
