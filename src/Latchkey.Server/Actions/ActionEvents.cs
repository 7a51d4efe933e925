using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Management;
using Latchkey.Server.Management.Users;
using Latchkey.Server.Tenants;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;

namespace Latchkey.Server.Actions;

/// <summary>
/// Builds the <c>event</c> object with Auth0's names (post-login v3, credentials-exchange v2). <c>event.user</c> is the
/// Management API's user object (one projection of a user). Parameters that are credentials (<c>client_secret</c>,
/// <c>code</c>, <c>code_verifier</c>, <c>refresh_token</c>, <c>password</c>, <c>client_assertion</c>) are left out of
/// <c>event.request</c>; Auth0's <c>geoip</c> is present and empty. docs/actions.md lists what is offered.
/// </summary>
internal static class ActionEvents
{
    public const string TenantId = "latchkey";

    /// <summary>Auth0's default database connection (the only connection Latchkey has).</summary>
    private const string Connection = UserResponse.Connection;

    private static readonly HashSet<string> CredentialParameters = new(StringComparer.Ordinal)
    {
        "client_secret", "code", "code_verifier", "refresh_token", "password", "client_assertion", "id_token_hint",
    };

    public static JsonObject PostLogin(PostLoginContext context, HttpContext? http)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = http?.GetOpenIddictServerRequest();
        var user = JsonSerializer.SerializeToNode(UserResponse.From(context.User), ManagementJson.Options)!.AsObject();
        user.Remove("blocked");
        return new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = TenantId },
            ["user"] = user,
            ["authorization"] = new JsonObject { ["roles"] = Strings(context.Roles) },
            ["client"] = Client(context.Application),
            ["connection"] = new JsonObject { ["id"] = Connection, ["name"] = Connection, ["strategy"] = "auth0", ["metadata"] = new JsonObject() },
            ["request"] = Request(http, request),
            ["transaction"] = new JsonObject
            {
                ["requested_scopes"] = Strings(context.RequestedScopes),
                ["protocol"] = context.GrantType switch
                {
                    OpenIddictConstants.GrantTypes.RefreshToken => "oauth2-refresh-token",
                    OpenIddictConstants.GrantTypes.Implicit => "oidc-implicit-profile",
                    _ => "oidc-basic-profile",
                },
                ["redirect_uri"] = request?.RedirectUri,
                ["response_type"] = Strings(request?.ResponseType?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? []),
                ["response_mode"] = request?.ResponseMode,
                ["locale"] = "en",
            },
            ["resource_server"] = context.Api is null ? null : new JsonObject { ["identifier"] = context.Api.Identifier },
            ["stats"] = new JsonObject { ["logins_count"] = context.User.LoginsCount },
            ["authentication"] = new JsonObject { ["methods"] = new JsonArray(new JsonObject { ["name"] = "pwd" }) },
        };
    }

    public static JsonObject CredentialsExchange(Application application, Api api, IReadOnlyCollection<string> scopes, HttpContext? http)
    {
        ArgumentNullException.ThrowIfNull(application);
        ArgumentNullException.ThrowIfNull(api);
        return new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = TenantId },
            ["client"] = Client(application),
            ["request"] = Request(http, http?.GetOpenIddictServerRequest()),
            ["resource_server"] = new JsonObject { ["identifier"] = api.Identifier },
            ["transaction"] = new JsonObject { ["requested_scopes"] = Strings(scopes) },
            ["accessToken"] = new JsonObject { ["scope"] = Strings(scopes), ["customClaims"] = new JsonObject() },
        };
    }

    /// <summary><c>event.secrets</c> of one Action: its own secrets, decrypted.</summary>
    public static JsonObject Secrets(RunnableAction action) =>
        new([.. action.Secrets.Select(s => KeyValuePair.Create(s.Key, (JsonNode?)s.Value))]);

    private static JsonObject Client(Application application) => new()
    {
        ["client_id"] = application.ClientId,
        ["name"] = application.Name,
        ["metadata"] = new JsonObject(),
    };

    private static JsonObject Request(HttpContext? http, OpenIddictRequest? parameters)
    {
        var isPost = HttpMethods.IsPost(http?.Request.Method ?? string.Empty);
        var values = new JsonObject();
        foreach (var (name, value) in parameters?.GetParameters() ?? new Dictionary<string, OpenIddictParameter>())
        {
            if (!CredentialParameters.Contains(name) && (string?)value is { } text)
            {
                values[name] = text;
            }
        }

        return new JsonObject
        {
            ["ip"] = http?.Connection.RemoteIpAddress?.ToString(),
            ["hostname"] = http?.Request.Host.Host,
            ["method"] = http?.Request.Method,
            ["user_agent"] = http?.Request.Headers.UserAgent.ToString(),
            ["language"] = http?.Request.Headers.AcceptLanguage.ToString(),
            ["query"] = isPost ? new JsonObject() : values,
            ["body"] = isPost ? values : new JsonObject(),
            ["geoip"] = new JsonObject(),
        };
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)v)]);
}
