using System.Text.Json;
using System.Text.Json.Nodes;
using Latchkey.Server.Users;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Parses a tenant file (Auth0 Management API v2 shapes) and checks everything that can be checked from the file
/// alone: JSON syntax, unknown properties, required fields, types, ranges, URLs, grant types, duplicates and
/// password policy. References to other entities (client grants → clients/APIs/scopes, roles → APIs, users → roles)
/// are checked by <see cref="TenantImporter"/>, which also knows what the database already holds.
/// All problems are collected, so one run reports every mistake in the file.
/// </summary>
internal sealed class TenantFileReader
{
    private const int MaxProblems = 50;

    private static readonly string[] RootProperties = ["resource_servers", "clients", "client_grants", "roles", "users"];
    private static readonly string[] ApiProperties = ["identifier", "name", "scopes", "signing_alg", "token_lifetime", "allow_offline_access", "enforce_policies", "token_dialect"];
    private static readonly string[] ScopeProperties = ["value", "description"];
    private static readonly string[] ClientProperties = ["client_id", "client_secret", "name", "app_type", "callbacks", "allowed_logout_urls", "web_origins", "allowed_origins", "grant_types", "refresh_token"];
    private static readonly string[] RefreshTokenProperties = ["rotation_type", "expiration_type", "leeway", "token_lifetime", "idle_token_lifetime"];
    private static readonly string[] GrantProperties = ["client_id", "audience", "scope"];
    private static readonly string[] RoleProperties = ["name", "description", "permissions"];
    private static readonly string[] PermissionProperties = ["resource_server_identifier", "permission_name"];
    private static readonly string[] UserProperties = ["email", "password", "email_verified", "name", "user_metadata", "app_metadata", "roles", "blocked"];

    /// <summary>Grant types Latchkey implements, by their Auth0 names.</summary>
    public static readonly string[] SupportedGrantTypes = ["authorization_code", "implicit", "refresh_token", "client_credentials"];

    private readonly List<string> _problems = [];

    private TenantFileReader()
    {
    }

    /// <summary>Parses <paramref name="json"/>; throws <see cref="TenantFileException"/> naming <paramref name="file"/>.</summary>
    public static TenantFile Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = JsonCommentHandling.Skip,
                AllowDuplicateProperties = false,
                MaxDepth = 64,
            });
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: " : string.Empty;
            throw new TenantFileException(file, [$"{where}malformed JSON: {Describe(ex)}"]);
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

    /// <summary>Compact JSON for a metadata object (the stored form).</summary>
    public static string Compact(JsonElement element) => JsonNode.Parse(element.GetRawText())!.ToJsonString();

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

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private void Problem(string path, string message) => _problems.Add($"{path}: {message}");

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

        CheckUnique(apis, a => a.Identifier, "identifier", StringComparer.Ordinal);
        CheckUnique(clients, c => c.Application.ClientId, "client_id", StringComparer.Ordinal);
        CheckUnique(grants, g => $"{g.ClientId}\n{g.Audience}", "(client_id, audience)", StringComparer.Ordinal);
        CheckUnique(roles, r => r.Name, "name", StringComparer.Ordinal);
        CheckUnique(users, u => EmailAddress.Normalize(u.Email), "email", StringComparer.Ordinal);

        return new TenantFile(apis.Select(a => a.Value!).ToList(), clients.Select(c => c.Value!).ToList(),
            grants.Select(g => g.Value!).ToList(), roles.Select(r => r.Value!).ToList(), users.Select(u => u.Value!).ToList());
    }

    private Api? ReadApi(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, ApiProperties))
        {
            return null;
        }

        var identifier = ReadString(e, path, "identifier", required: true, maxLength: 600);
        if (identifier is not null && identifier.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            Problem(Join(path, "identifier"), $"\"{identifier}\" must not contain whitespace or control characters");
        }

        var name = ReadString(e, path, "name", required: false, maxLength: 200);
        var scopes = ReadArray(e, path, "scopes", ReadScope);
        CheckUnique(scopes, s => s.Value, "value", StringComparer.Ordinal);
        // Only RS256 for now: every token is signed with the tenant's RSA key as RS256, and accepting PS256 here
        // would promise a signature the server does not make.
        var signingAlg = ReadEnum(e, path, "signing_alg", ["RS256"]) ?? "RS256";
        var lifetime = ReadInt(e, path, "token_lifetime", 60, 2_592_000) ?? 86_400;
        var dialect = ReadEnum(e, path, "token_dialect", TokenDialects.All) ?? TokenDialects.AccessToken;
        return identifier is null ? null : new Api
        {
            Identifier = identifier,
            Name = name ?? identifier,
            Scopes = scopes.Where(s => s.Value is not null).Select(s => s.Value!).ToList(),
            SigningAlg = signingAlg,
            TokenLifetime = lifetime,
            AllowOfflineAccess = ReadBool(e, path, "allow_offline_access") ?? false,
            EnforcePolicies = ReadBool(e, path, "enforce_policies") ?? false,
            TokenDialect = dialect,
        };
    }

    private ApiScope? ReadScope(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, ScopeProperties))
        {
            return null;
        }

        var value = ReadString(e, path, "value", required: true, maxLength: 280);
        if (value is not null && !IsScopeToken(value))
        {
            Problem(Join(path, "value"), $"\"{value}\" is not a valid scope (printable ASCII without spaces, quotes or backslashes; RFC 6749 §3.3)");
            value = null;
        }

        var description = ReadString(e, path, "description", required: false, maxLength: 500);
        return value is null ? null : new ApiScope { Value = value, Description = description };
    }

    private TenantFileClient? ReadClient(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, ClientProperties))
        {
            return null;
        }

        var clientId = ReadString(e, path, "client_id", required: true, maxLength: 200);
        if (clientId is not null && !clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            Problem(Join(path, "client_id"), $"\"{clientId}\" may contain only letters, digits, '-', '_' and '.'");
            clientId = null;
        }

        var appType = ReadEnum(e, path, "app_type", AppTypes.All, required: true);
        var isPublic = AppTypes.IsPublic(appType);
        var secret = ReadString(e, path, "client_secret", required: false, maxLength: 512);
        if (appType is not null)
        {
            if (isPublic && secret is not null)
            {
                Problem(Join(path, "client_secret"), $"a {appType} application is public and must not have a secret");
            }
            else if (!isPublic && secret is null)
            {
                Problem(Join(path, "client_secret"), $"is required for a {appType} application");
            }
            else if (secret is not null && secret.Length < 16)
            {
                Problem(Join(path, "client_secret"), "must be at least 16 characters");
            }
        }

        var callbacks = ReadStrings(e, path, "callbacks", (v, p) => CheckUrl(v, p, appType == AppTypes.Native));
        var logoutUrls = ReadStrings(e, path, "allowed_logout_urls", (v, p) => CheckUrl(v, p, appType == AppTypes.Native));
        var webOrigins = ReadStrings(e, path, "web_origins", CheckOrigin);
        var allowedOrigins = ReadStrings(e, path, "allowed_origins", CheckOrigin);
        var grantTypes = ReadStrings(e, path, "grant_types", CheckGrantType);
        if (grantTypes is not null && appType is not null)
        {
            for (var i = 0; i < grantTypes.Count; i++)
            {
                if (grantTypes[i] == "client_credentials" && isPublic)
                {
                    Problem($"{Join(path, "grant_types")}[{i}]", $"a {appType} application is public and cannot use client_credentials");
                }
            }
        }

        var refreshToken = ReadRefreshToken(e, path);
        if (clientId is null || appType is null)
        {
            return null;
        }

        var application = new Application
        {
            ClientId = clientId,
            Name = ReadString(e, path, "name", required: false, maxLength: 200) ?? clientId,
            AppType = appType,
            Callbacks = callbacks ?? [],
            AllowedLogoutUrls = logoutUrls ?? [],
            WebOrigins = webOrigins ?? [],
            AllowedOrigins = allowedOrigins ?? [],
            // Defaults follow what Auth0's dashboard creates for each application type.
            GrantTypes = grantTypes?.Distinct(StringComparer.Ordinal).ToList()
                ?? (appType == AppTypes.NonInteractive ? ["client_credentials"] : ["authorization_code", "refresh_token"]),
            RefreshToken = refreshToken ?? new RefreshTokenPolicy(),
        };
        return new TenantFileClient(application, secret);
    }

    private RefreshTokenPolicy? ReadRefreshToken(JsonElement client, string clientPath)
    {
        if (!client.TryGetProperty("refresh_token", out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var path = Join(clientPath, "refresh_token");
        if (!ExpectObject(e, path, RefreshTokenProperties))
        {
            return null;
        }

        var policy = new RefreshTokenPolicy
        {
            RotationType = ReadEnum(e, path, "rotation_type", RotationTypes.All) ?? RotationTypes.Rotating,
            ExpirationType = ReadEnum(e, path, "expiration_type", ExpirationTypes.All) ?? ExpirationTypes.Expiring,
            Leeway = ReadInt(e, path, "leeway", 0, 300) ?? 0,
            TokenLifetime = ReadInt(e, path, "token_lifetime", 60, 31_557_600) ?? 2_592_000,
            IdleTokenLifetime = ReadInt(e, path, "idle_token_lifetime", 60, 31_557_600) ?? 1_296_000,
        };
        if (policy.IdleTokenLifetime > policy.TokenLifetime)
        {
            Problem(Join(path, "idle_token_lifetime"), $"{policy.IdleTokenLifetime} must not exceed token_lifetime ({policy.TokenLifetime})");
        }

        return policy;
    }

    private ClientGrant? ReadGrant(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, GrantProperties))
        {
            return null;
        }

        var clientId = ReadString(e, path, "client_id", required: true, maxLength: 200);
        var audience = ReadString(e, path, "audience", required: true, maxLength: 600);
        var scope = ReadStrings(e, path, "scope", (v, p) =>
        {
            if (!IsScopeToken(v))
            {
                Problem(p, $"\"{v}\" is not a valid scope");
                return false;
            }

            return true;
        }, required: true);
        return clientId is null || audience is null || scope is null ? null
            : new ClientGrant { ClientId = clientId, Audience = audience, Scope = scope.Distinct(StringComparer.Ordinal).ToList() };
    }

    private Role? ReadRole(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, RoleProperties))
        {
            return null;
        }

        var name = ReadString(e, path, "name", required: true, maxLength: 200);
        var description = ReadString(e, path, "description", required: false, maxLength: 500);
        var permissions = ReadArray(e, path, "permissions", (p, pp) =>
        {
            if (!ExpectObject(p, pp, PermissionProperties))
            {
                return null;
            }

            var api = ReadString(p, pp, "resource_server_identifier", required: true, maxLength: 600);
            var permission = ReadString(p, pp, "permission_name", required: true, maxLength: 280);
            return api is null || permission is null ? null : new RolePermission { ResourceServerIdentifier = api, PermissionName = permission };
        });
        CheckUnique(permissions, p => $"{p.ResourceServerIdentifier}\n{p.PermissionName}", "(resource_server_identifier, permission_name)", StringComparer.Ordinal);
        return name is null ? null : new Role { Name = name, Description = description, Permissions = permissions.Select(p => p.Value!).ToList() };
    }

    private TenantFileUser? ReadUser(JsonElement e, string path)
    {
        if (!ExpectObject(e, path, UserProperties))
        {
            return null;
        }

        var email = ReadString(e, path, "email", required: true, maxLength: 320);
        if (email is not null && !EmailAddress.IsValid(email.Trim()))
        {
            Problem(Join(path, "email"), $"\"{email}\" is not an email address");
            email = null;
        }

        var password = ReadString(e, path, "password", required: false, maxLength: int.MaxValue, trim: false);
        if (password is not null && PasswordPolicy.Check(password, email, rejectCommon: false) is { } weak)
        {
            Problem(Join(path, "password"), $"the password {weak}");
        }

        var userMetadata = ReadObject(e, path, "user_metadata");
        var appMetadata = ReadObject(e, path, "app_metadata");
        var roles = ReadStrings(e, path, "roles", (_, _) => true);
        return email is null ? null : new TenantFileUser(email.Trim(), password, ReadBool(e, path, "email_verified"),
            ReadString(e, path, "name", required: false, maxLength: 300), userMetadata, appMetadata,
            roles?.Distinct(StringComparer.Ordinal).ToList(), ReadBool(e, path, "blocked"));
    }

    private bool CheckUrl(string value, string path, bool allowPrivateUseScheme)
    {
        if (TenantUrlRules.CheckUrl(value, allowPrivateUseScheme) is { } problem)
        {
            Problem(path, problem);
            return false;
        }

        return true;
    }

    private bool CheckOrigin(string value, string path)
    {
        if (TenantUrlRules.CheckOrigin(value) is { } problem)
        {
            Problem(path, problem);
            return false;
        }

        return true;
    }

    private bool CheckGrantType(string value, string path)
    {
        if (!SupportedGrantTypes.Contains(value))
        {
            Problem(path, $"unknown grant type \"{value}\" (expected one of: {string.Join(", ", SupportedGrantTypes)})");
            return false;
        }

        return true;
    }

    private List<(T? Value, string Path)> ReadArray<T>(JsonElement parent, string parentPath, string name, Func<JsonElement, string, T?> read)
        where T : class
    {
        var path = Join(parentPath, name);
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
            var itemPath = $"{path}[{index++}]";
            result.Add((read(item, itemPath), itemPath));
        }

        return result;
    }

    private void CheckUnique<T>(List<(T? Value, string Path)> items, Func<T, string> key, string what, StringComparer comparer)
        where T : class
    {
        var seen = new Dictionary<string, string>(comparer);
        foreach (var (value, path) in items)
        {
            if (value is null)
            {
                continue;
            }

            var k = key(value);
            if (seen.TryGetValue(k, out var first))
            {
                // A single property names its own path (users[3].email); a composite key names the item.
                var composite = what.StartsWith('(');
                Problem(composite ? path : Join(path, what), composite ? $"duplicate {what}, already defined at {first}" : $"\"{value switch { TenantFileUser u => u.Email, _ => k }}\" is a duplicate of {Join(first, what)}");
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
                Problem(Join(path, property.Name), $"unknown property (expected one of: {string.Join(", ", known)})");
            }
        }
    }

    private string? ReadString(JsonElement e, string path, string name, bool required, int maxLength, bool trim = true)
    {
        var p = Join(path, name);
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
        if (trim)
        {
            text = text.Trim();
        }

        if (required && text.Length == 0)
        {
            Problem(p, "must not be empty");
            return null;
        }

        if (text.Length > maxLength)
        {
            Problem(p, $"must be at most {maxLength} characters");
            return null;
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            Problem(p, "must not contain NUL characters");
            return null;
        }

        return text;
    }

    private string? ReadEnum(JsonElement e, string path, string name, string[] allowed, bool required = false)
    {
        var value = ReadString(e, path, name, required, maxLength: 100);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
        {
            Problem(Join(path, name), $"unknown value \"{value}\" (expected one of: {string.Join(", ", allowed)})");
            return null;
        }

        return value;
    }

    private int? ReadInt(JsonElement e, string path, string name, int min, int max)
    {
        var p = Join(path, name);
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
        {
            Problem(p, $"expected an integer, got {Kind(value)}");
            return null;
        }

        if (number < min || number > max)
        {
            Problem(p, $"{number} is out of range ({min} to {max})");
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
            Problem(Join(path, name), $"expected true or false, got {Kind(value)}");
            return null;
        }

        return value.GetBoolean();
    }

    private string? ReadObject(JsonElement e, string path, string name)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Problem(Join(path, name), $"expected an object, got {Kind(value)}");
            return null;
        }

        return Compact(value);
    }

    private List<string>? ReadStrings(JsonElement e, string path, string name, Func<string, string, bool> check, bool required = false)
    {
        var p = Join(path, name);
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

        var result = new List<string>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{p}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                Problem(itemPath, $"expected a string, got {Kind(item)}");
                continue;
            }

            var text = item.GetString()!;
            if (check(text, itemPath))
            {
                result.Add(text);
            }
        }

        return result;
    }

    private static bool IsScopeToken(string value) =>
        value.Length > 0 && value.All(c => c is >= '!' and <= '~' && c is not '"' and not '\\');

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
