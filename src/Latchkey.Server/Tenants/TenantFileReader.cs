using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Tenants.Rules;
using Latchkey.Server.Users;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Reads a tenant file (Auth0 Management API v2 shapes): JSON syntax, unknown properties, required members and JSON
/// types. What the values may be is the entities' rules (<see cref="ApiRules"/>, <see cref="ApplicationRules"/>,
/// <see cref="ClientGrantRules"/>, <see cref="RoleRules"/>, <see cref="UserRules"/>), the same ones the Management API
/// applies; this reader only places their problems at the file's paths and adds the file-wide ones (duplicates across
/// entities). References to other entities are checked by <see cref="TenantImporter"/>, which also knows what the
/// database already holds. All problems are collected, so one run reports every mistake in the file.
/// </summary>
internal sealed class TenantFileReader
{
    private const int MaxProblems = 50;
    private const int MaxDepth = 64;

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string[] RootProperties = ["resource_servers", "clients", "client_grants", "roles", "users", "connections", "actions", "triggers"];
    private static readonly string[] ConnectionProperties = ["name", "strategy", "options"];
    private static readonly string[] ConnectionOptionProperties = ["disable_signup"];
    private static readonly string[] ApiProperties = ["identifier", "name", "scopes", "signing_alg", "token_lifetime", "token_lifetime_for_web", "allow_offline_access", "skip_consent_for_verifiable_first_party_clients", "enforce_policies", "token_dialect"];
    private static readonly string[] ScopeProperties = ["value", "description"];
    private static readonly string[] ClientProperties = ["client_id", "client_secret", "name", "description", "app_type", "is_first_party", "callbacks", "allowed_logout_urls", "web_origins", "allowed_origins", "grant_types", "token_endpoint_auth_method", "refresh_token", "jwt_configuration", "client_metadata"];
    private static readonly string[] RefreshTokenProperties = ["rotation_type", "expiration_type", "leeway", "token_lifetime", "infinite_token_lifetime", "idle_token_lifetime", "infinite_idle_token_lifetime"];
    private static readonly string[] JwtConfigurationProperties = ["lifetime_in_seconds"];
    private static readonly string[] GrantProperties = ["client_id", "audience", "scope"];
    private static readonly string[] RoleProperties = ["name", "description", "permissions"];
    private static readonly string[] PermissionProperties = ["resource_server_identifier", "permission_name"];
    private static readonly string[] UserProperties = ["email", "password", "password_hash", "email_verified", "name", "user_metadata", "app_metadata", "roles", "permissions", "blocked"];

    private static readonly string[] ActionProperties = ["name", "code", "runtime", "deployed", "supported_triggers", "secrets", "dependencies", "status"];
    private static readonly string[] TriggerRefProperties = ["id", "version"];
    private static readonly string[] SecretProperties = ["name", "value"];
    private static readonly string[] BindingProperties = ["action_name", "display_name"];

    private readonly List<string> _problems = [];

    private TenantFileReader()
    {
    }

    /// <summary>Parses <paramref name="json"/>; throws <see cref="TenantFileException"/> naming <paramref name="file"/>.</summary>
    public static TenantFile Parse(string json, string file)
    {
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException)
        {
            throw new TenantFileException(file, [$"malformed JSON: {StrictJson.LoneSurrogate}"]);
        }

        return Parse(utf8, file);
    }

    /// <summary>Parses the bytes of a tenant file (UTF-8, with or without a byte order mark).</summary>
    public static TenantFile Parse(ReadOnlyMemory<byte> utf8, string file)
    {
        if (utf8.Span.StartsWith(Utf8Bom))
        {
            utf8 = utf8[Utf8Bom.Length..];
        }

        JsonDocument document;
        try
        {
            // Comments and trailing commas are allowed (files are written by hand); duplicates, invalid UTF-8 and lone
            // surrogates are not (StrictJson).
            document = StrictJson.Parse(utf8, MaxDepth, allowCommentsAndTrailingCommas: true);
        }
        catch (JsonException ex)
        {
            var position = ex.InnerException as JsonException ?? ex;
            var where = position.LineNumber is { } line ? $"line {line + 1}, position {(position.BytePositionInLine ?? 0) + 1}: " : string.Empty;
            throw new TenantFileException(file, [$"{where}malformed JSON: {Describe(position)}"]);
        }

        using (document)
        {
            var reader = new TenantFileReader();
            var result = reader.ReadRoot(document.RootElement);
            if (reader._problems.Count > 0 || result is null)
            {
                throw new TenantFileException(file, reader._problems.Take(MaxProblems).ToList());
            }

            return result;
        }
    }

    private static string Describe(JsonException ex)
    {
        // System.Text.Json appends " LineNumber: … | BytePositionInLine: …." and a path; we report those ourselves.
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        }

        return (cut >= 0 ? message[..cut] : message).Trim();
    }

    private void Problem(string path, string message) => _problems.Add($"{path}: {message}");

    private void Report(IEnumerable<RuleProblem> problems)
    {
        foreach (var problem in problems)
        {
            Problem(problem.Path, problem.Problem);
        }
    }

    private TenantFile? ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem("(root)", $"expected an object with {string.Join(", ", RootProperties)}, got {Kind(root)}");
            return null;
        }

        CheckKnown(root, string.Empty, RootProperties);
        var apis = ReadArray(root, string.Empty, "resource_servers", ReadApi);
        var clients = ReadArray(root, string.Empty, "clients", ReadClient);
        var grants = ReadArray(root, string.Empty, "client_grants", ReadGrant);
        var roles = ReadArray(root, string.Empty, "roles", ReadRole);
        var users = ReadArray(root, string.Empty, "users", ReadUser);
        var connections = ReadArray(root, string.Empty, "connections", ReadConnection);
        var actions = ReadArray(root, string.Empty, "actions", ReadAction);
        var triggers = ReadTriggers(root);

        CheckUnique(apis, a => a.Identifier, "identifier");
        CheckUnique(clients, c => c.ClientId, "client_id");
        CheckUnique(grants, g => g is { ClientId: { } c, Audience: { } a } ? $"{c}\n{a}" : null, "(client_id, audience)");
        CheckUnique(roles, r => r.Name, "name");
        CheckUnique(users, u => EmailAddress.Normalize(u.Email), "email", u => u.Email);
        CheckUnique(connections, c => c.Name, "name");
        CheckUnique(actions, a => a.Name, "name");

        return new TenantFile(Valid(apis), Valid(clients), Valid(grants), Valid(roles), Valid(users), Valid(connections), Valid(actions), triggers);
    }

    private static List<T> Valid<T>(List<(T? Value, string Path)> items)
        where T : class => items.Select(i => i.Value!).ToList();

    private ApiDraft? ReadApi(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, ApiProperties))
        {
            return null;
        }

        var api = new ApiDraft
        {
            Identifier = ReadString(e, path, "identifier", required: true),
            Name = ReadString(e, path, "name"),
            Scopes = ReadArray(e, path, "scopes", ReadScope).Select(s => s.Value).ToList(),
            SigningAlg = ReadString(e, path, "signing_alg"),
            TokenLifetime = ReadInt(e, path, "token_lifetime"),
            TokenLifetimeForWeb = ReadInt(e, path, "token_lifetime_for_web"),
            AllowOfflineAccess = ReadBool(e, path, "allow_offline_access"),
            SkipConsentForVerifiableFirstPartyClients = ReadBool(e, path, "skip_consent_for_verifiable_first_party_clients"),
            EnforcePolicies = ReadBool(e, path, "enforce_policies"),
            TokenDialect = ReadString(e, path, "token_dialect"),
        };
        Report(ApiRules.Check(api, path));
        return api.Identifier is null ? null : api;
    }

    private ApiScopeDraft? ReadScope(JsonElement e, string path) =>
        ExpectObject(e, path, ScopeProperties)
            ? new ApiScopeDraft(ReadString(e, path, "value", required: true), ReadString(e, path, "description"))
            : null;

    private ApplicationDraft? ReadClient(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, ClientProperties))
        {
            return null;
        }

        var client = new ApplicationDraft
        {
            ClientId = ReadString(e, path, "client_id", required: true),
            AppType = ReadString(e, path, "app_type", required: true),
            ClientSecret = ReadString(e, path, "client_secret"),
            Callbacks = ReadStrings(e, path, "callbacks"),
            AllowedLogoutUrls = ReadStrings(e, path, "allowed_logout_urls"),
            WebOrigins = ReadStrings(e, path, "web_origins"),
            AllowedOrigins = ReadStrings(e, path, "allowed_origins"),
            GrantTypes = ReadStrings(e, path, "grant_types"),
            RefreshToken = ReadRefreshToken(e, path),
            Name = ReadString(e, path, "name"),
            Description = ReadString(e, path, "description"),
            IsFirstParty = ReadBool(e, path, "is_first_party"),
            TokenEndpointAuthMethod = ReadString(e, path, "token_endpoint_auth_method"),
            IdTokenLifetime = ReadJwtLifetime(e, path),
            ClientMetadata = ReadStringMap(e, path, "client_metadata"),
        };
        Report(ApplicationRules.Check(client, path));
        return client.ClientId is null || client.AppType is null ? null : client;
    }

    private RefreshTokenDraft? ReadRefreshToken(JsonElement client, string clientPath)
    {
        if (!client.TryGetProperty("refresh_token", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var path = RulePath.Join(clientPath, "refresh_token");
        return ExpectObject(e, path, RefreshTokenProperties)
            ? new RefreshTokenDraft
            {
                RotationType = ReadString(e, path, "rotation_type"),
                ExpirationType = ReadString(e, path, "expiration_type"),
                Leeway = ReadInt(e, path, "leeway"),
                TokenLifetime = ReadInt(e, path, "token_lifetime"),
                IdleTokenLifetime = ReadInt(e, path, "idle_token_lifetime"),
                InfiniteTokenLifetime = ReadBool(e, path, "infinite_token_lifetime"),
                InfiniteIdleTokenLifetime = ReadBool(e, path, "infinite_idle_token_lifetime"),
            }
            : null;
    }

    private int? ReadJwtLifetime(JsonElement client, string clientPath)
    {
        if (!client.TryGetProperty("jwt_configuration", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var path = RulePath.Join(clientPath, "jwt_configuration");
        return ExpectObject(e, path, JwtConfigurationProperties) ? ReadInt(e, path, "lifetime_in_seconds") : null;
    }

    /// <summary>An object whose values are strings (<c>client_metadata</c>); a value of another type is reported and kept as null.</summary>
    private Dictionary<string, string?>? ReadStringMap(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var p = RulePath.Join(path, name);
        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(p, $"expected an object, got {Kind(value)}");
            return null;
        }

        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                Problem(RulePath.Join(p, property.Name), $"expected a string, got {Kind(property.Value)}");
                result[property.Name] = null;
                continue;
            }

            result[property.Name] = property.Value.GetString();
        }

        return result;
    }

    private ClientGrantDraft? ReadGrant(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, GrantProperties))
        {
            return null;
        }

        var grant = new ClientGrantDraft
        {
            ClientId = ReadString(e, path, "client_id", required: true),
            Audience = ReadString(e, path, "audience", required: true),
            Scope = ReadStrings(e, path, "scope", required: true),
        };
        Report(ClientGrantRules.Check(grant, path));
        return grant is { ClientId: not null, Audience: not null, Scope: not null } ? grant : null;
    }

    private RoleDraft? ReadRole(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, RoleProperties))
        {
            return null;
        }

        var role = new RoleDraft
        {
            Name = ReadString(e, path, "name", required: true),
            Description = ReadString(e, path, "description"),
            Permissions = ReadPermissions(e, path),
        };
        Report(RoleRules.Check(role, path));
        return role.Name is null ? null : role;
    }

    private UserDraft? ReadUser(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, UserProperties))
        {
            return null;
        }

        var email = ReadString(e, path, "email", required: true);
        var password = ReadString(e, path, "password", trim: false);
        var passwordHash = ReadString(e, path, "password_hash", trim: false);
        var emailVerified = ReadBool(e, path, "email_verified");
        var name = ReadString(e, path, "name");
        var userMetadata = ReadObject(e, path, "user_metadata");
        var appMetadata = ReadObject(e, path, "app_metadata");
        var roles = ReadStrings(e, path, "roles");
        var permissions = e.TryGetProperty("permissions", out var given) && given.ValueKind != JsonValueKind.Null ? ReadPermissions(e, path) : null;
        var blocked = ReadBool(e, path, "blocked");
        if (email is null)
        {
            return null;
        }

        var user = new UserDraft(email, password, emailVerified, name, userMetadata, appMetadata,
            roles?.OfType<string>().Distinct(StringComparer.Ordinal).ToList(), blocked, permissions, passwordHash);
        var problems = UserRules.Check(user, path);
        Report(problems);
        return problems.Any(p => p.Path == RulePath.Join(path, "email")) ? null : user;
    }

    /// <summary><c>permissions</c> of a role or a user: <c>[{resource_server_identifier, permission_name}]</c>.</summary>
    private List<PermissionDraft?> ReadPermissions(JsonElement e, string path) =>
        ReadArray(e, path, "permissions", (p, at) => ExpectObject(p, at, PermissionProperties)
            ? new PermissionDraft(ReadString(p, at, "resource_server_identifier", required: true), ReadString(p, at, "permission_name", required: true))
            : null).Select(p => p.Value).ToList();

    /// <summary>The Deploy CLI's connection shape; Latchkey has one database connection, Auth0's default.</summary>
    private TenantFileConnection? ReadConnection(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, ConnectionProperties))
        {
            return null;
        }

        var name = ReadString(e, path, "name", required: true);
        if (name is not null && name != Connection.DefaultName)
        {
            Problem(RulePath.Join(path, "name"), $"\"{name}\" is not a connection Latchkey has (only \"{Connection.DefaultName}\", the database connection)");
            name = null;
        }

        if (ReadString(e, path, "strategy") is { } strategy && strategy != Connection.DatabaseStrategy)
        {
            Problem(RulePath.Join(path, "strategy"), $"unknown value \"{strategy}\" (expected one of: {Connection.DatabaseStrategy})");
        }

        bool? disableSignup = null;
        if (e.TryGetProperty("options", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            var optionsPath = RulePath.Join(path, "options");
            if (ExpectObject(options, optionsPath, ConnectionOptionProperties))
            {
                disableSignup = ReadBool(options, optionsPath, "disable_signup");
            }
        }

        return name is null ? null : new TenantFileConnection(name, disableSignup);
    }

    /// <summary>An Action in the shape Auth0's Deploy CLI writes; <c>dependencies</c> must be empty (no modules).</summary>
    private ActionDraft? ReadAction(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, ActionProperties))
        {
            return null;
        }

        foreach (var (dependency, at) in ReadArray(e, path, "dependencies", (d, at) => ExpectObject(d, at, ["name", "version", "registry_url"]) ? ReadString(d, at, "name") ?? "(unnamed)" : null).Where(d => d.Value is not null))
        {
            Problem(at, ActionRules.Dependency(dependency!));
        }

        ReadString(e, path, "status");
        var action = new ActionDraft
        {
            Name = ReadString(e, path, "name", required: true),
            Code = ReadString(e, path, "code", required: true, trim: false),
            Runtime = ReadString(e, path, "runtime"),
            Deployed = ReadBool(e, path, "deployed"),
            SupportedTriggers = ReadArray(e, path, "supported_triggers", (t, at) => ExpectObject(t, at, TriggerRefProperties)
                ? new ActionTriggerDraft(ReadString(t, at, "id", required: true), ReadString(t, at, "version"))
                : null).Select(t => t.Value).ToList(),
            Secrets = ReadArray(e, path, "secrets", (t, at) => ExpectObject(t, at, SecretProperties)
                ? new ActionSecretDraft(ReadString(t, at, "name", required: true), ReadString(t, at, "value", trim: false) ?? string.Empty)
                : null).Select(t => t.Value).ToList(),
        };
        Report(ActionRules.Check(action, path));
        return action.Name is null || action.Code is null ? null : action;
    }

    /// <summary><c>triggers: { "post-login": [{ action_name, display_name }] }</c>, the Deploy CLI's bindings.</summary>
    private Dictionary<string, IReadOnlyList<ActionBindingDraft>> ReadTriggers(JsonElement root)
    {
        var result = new Dictionary<string, IReadOnlyList<ActionBindingDraft>>(StringComparer.Ordinal);
        if (!root.TryGetProperty("triggers", out var triggers) || triggers.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (triggers.ValueKind != JsonValueKind.Object)
        {
            Problem("triggers", $"expected an object keyed by trigger id, got {Kind(triggers)}");
            return result;
        }

        foreach (var trigger in triggers.EnumerateObject())
        {
            var path = RulePath.Join("triggers", trigger.Name);
            if (ActionRules.Trigger(trigger.Name) is { } problem)
            {
                Problem(path, problem);
                continue;
            }

            result[trigger.Name] = ReadArray(triggers, "triggers", trigger.Name, (b, at) => ExpectObject(b, at, BindingProperties)
                ? new ActionBindingDraft(ReadString(b, at, "action_name", required: true), ReadString(b, at, "display_name"))
                : null).Select(b => b.Value!).ToList();
        }

        return result;
    }

    private List<(T? Value, string Path)> ReadArray<T>(JsonElement parent, string parentPath, string name, Func<JsonElement, string, T?> read)
        where T : class
    {
        var path = RulePath.Join(parentPath, name);
        var result = new List<(T?, string)>();
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(path, $"expected an array, got {Kind(array)}");
            return result;
        }

        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = RulePath.Index(path, index++);
            result.Add((read(item, itemPath), itemPath));
        }

        return result;
    }

    /// <summary>
    /// A key used twice across the file's entities. A single property names its own path (users[3].email); a
    /// composite key names the item.
    /// </summary>
    private void CheckUnique<T>(List<(T? Value, string Path)> items, Func<T, string?> key, string what, Func<T, string>? shown = null)
        where T : class
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var composite = what.StartsWith('(');
        foreach (var (value, path) in items)
        {
            if (value is null || key(value) is not { } k)
            {
                continue;
            }

            if (seen.TryGetValue(k, out var first))
            {
                Problem(composite ? path : RulePath.Join(path, what),
                    composite ? $"duplicate {what}, already defined at {first}" : $"\"{(shown is null ? k : shown(value))}\" is a duplicate of {RulePath.Join(first, what)}");
            }
            else
            {
                seen[k] = path;
            }
        }
    }

    private bool ExpectObject(JsonElement e, string path, string[] known)
    {
        if (e.ValueKind != JsonValueKind.Object)
        {
            Problem(path, $"expected an object, got {Kind(e)}");
            return false;
        }

        CheckKnown(e, path, known);
        return true;
    }

    private void CheckKnown(JsonElement e, string path, string[] known)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                Problem(RulePath.Join(path, property.Name), $"unknown property (expected one of: {string.Join(", ", known)})");
            }
        }
    }

    /// <summary>A string member, trimmed unless <paramref name="trim"/> is false; null when absent or not a string.</summary>
    private string? ReadString(JsonElement e, string path, string name, bool required = false, bool trim = true)
    {
        var p = RulePath.Join(path, name);
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(p, "is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problem(p, $"expected a string, got {Kind(value)}");
            return null;
        }

        var text = value.GetString()!;
        return trim ? text.Trim() : text;
    }

    private int? ReadInt(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Problem(RulePath.Join(path, name), $"expected an integer, got {Kind(value)}");
            return null;
        }

        return number;
    }

    private bool? ReadBool(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Problem(RulePath.Join(path, name), $"expected true or false, got {Kind(value)}");
            return null;
        }

        return value.GetBoolean();
    }

    /// <summary>An object member as compact JSON text (the stored form of metadata).</summary>
    private string? ReadObject(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(RulePath.Join(path, name), $"expected an object, got {Kind(value)}");
            return null;
        }

        return JsonNode.Parse(value.GetRawText())!.ToJsonString();
    }

    /// <summary>An array of strings; an item of another type is reported and kept as null so later indexes stay right.</summary>
    private List<string?>? ReadStrings(JsonElement e, string path, string name, bool required = false)
    {
        var p = RulePath.Join(path, name);
        if (!e.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(p, "is required");
            }

            return null;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(p, $"expected an array of strings, got {Kind(array)}");
            return null;
        }

        var result = new List<string?>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                Problem(RulePath.Index(p, result.Count), $"expected a string, got {Kind(item)}");
                result.Add(null);
                continue;
            }

            result.Add(item.GetString());
        }

        return result;
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => "null",
    };
}
