using Latchkey.Server.Tenants;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Latchkey.Server.Tests.Tenants;

public sealed class TenantImportTests
{
    [Fact]
    public async Task Import_ValidFile_CreatesEverything()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();

        var (apis, apps, grants, roles, users) = await host.QueryAsync(async db => (
            await db.Set<Api>().ToListAsync(), await db.Set<Application>().Where(a => a.ClientId != DashboardDefinition.ClientId).ToListAsync(), await db.Set<ClientGrant>().ToListAsync(),
            await db.Set<Role>().Where(r => r.Name != DashboardDefinition.AdministratorRole).ToListAsync(), await db.Set<User>().Include(u => u.Roles).Include(u => u.Permissions).ToListAsync()));

        var orders = Assert.Single(apis, a => a.Identifier == "https://orders.example.com");
        Assert.Equal("Orders", orders.Name);
        Assert.Equal(["read:orders", "write:orders"], orders.Scopes.Select(s => s.Value));
        Assert.Equal("Read", orders.Scopes[0].Description);
        Assert.Equal(("RS256", 3600, true, true, "access_token_authz"), (orders.SigningAlg, orders.TokenLifetime, orders.AllowOfflineAccess, orders.EnforcePolicies, orders.TokenDialect));
        Assert.False(orders.IsSystem);

        var management = Assert.Single(apis, a => a.IsSystem);
        Assert.Equal("http://127.0.0.1:7391/api/v2/", management.Identifier);
        Assert.Contains("read:current_user", management.Scopes.Select(s => s.Value));
        Assert.Contains("update:current_user_metadata", management.Scopes.Select(s => s.Value));
        Assert.Equal(ManagementScopes.All, management.Scopes.Select(s => s.Value));
        Assert.Equal("Read Client Grants", management.Scopes.Single(s => s.Value == "read:client_grants").Description);

        var spa = Assert.Single(apps, a => a.ClientId == "orders-spa");
        Assert.Equal(("Orders SPA", "spa"), (spa.Name, spa.AppType));
        Assert.Null(spa.ClientSecretHash);
        Assert.Equal(["https://app.example.com/callback", "http://localhost:3000"], spa.Callbacks);
        Assert.Equal(["https://app.example.com/"], spa.AllowedLogoutUrls);
        Assert.Equal(["https://app.example.com"], spa.WebOrigins);
        Assert.Equal(["https://app.example.com/"], spa.AllowedOrigins);
        Assert.Equal(["authorization_code", "refresh_token"], spa.GrantTypes);
        Assert.Equal(("rotating", "expiring", 5, 86400, 3600), (spa.RefreshToken.RotationType, spa.RefreshToken.ExpirationType, spa.RefreshToken.Leeway, spa.RefreshToken.TokenLifetime, spa.RefreshToken.IdleTokenLifetime));

        var worker = Assert.Single(apps, a => a.ClientId == "orders-worker");
        Assert.Equal(["client_credentials"], worker.GrantTypes);
        Assert.NotNull(worker.ClientSecretHash);
        Assert.DoesNotContain("worker-secret", worker.ClientSecretHash, StringComparison.Ordinal);
        Assert.StartsWith("hmac-sha256$", worker.ClientSecretHash, StringComparison.Ordinal);
        Assert.Equal(ClientSecretVerification.Success, await host.VerifySecretAsync("worker-secret-0123456789-abcdefghijklm", worker.ClientSecretHash));

        Assert.Equal(2, grants.Count);
        Assert.Equal(["read:orders"], grants.Single(g => g.Audience == "https://orders.example.com").Scope);
        Assert.Equal(["read:users"], grants.Single(g => g.Audience == management.Identifier).Scope);

        var clerk = Assert.Single(roles);
        Assert.Equal(("clerk", "Reads orders"), (clerk.Name, clerk.Description));
        Assert.Equal("read:orders", Assert.Single(clerk.Permissions).PermissionName);

        Assert.Equal(2, users.Count);
        var alice = users.Single(u => u.Email == "Alice@Example.com");
        Assert.Matches("^latchkey\\|[0-9a-f]{24}$", alice.UserId);
        Assert.Equal("alice@example.com", alice.NormalizedEmail);
        Assert.True(alice.EmailVerified);
        Assert.Equal(("Alice", "Alice"), (alice.Name, alice.Nickname));
        Assert.Equal("""{"theme":"dark"}""", alice.UserMetadata);
        Assert.Equal("""{"plan":"gold"}""", alice.AppMetadata);
        Assert.Equal(clerk.Id, Assert.Single(alice.Roles).RoleId);
        var direct = Assert.Single(alice.Permissions);
        Assert.Equal(("https://orders.example.com", "write:orders"), (direct.ResourceServerIdentifier, direct.PermissionName));
        Assert.Equal(PasswordVerificationResult.Success, VerifyPassword(alice, "correct horse battery"));
        Assert.Equal("{}", users.Single(u => u.Email == "bob@example.com").UserMetadata);
    }

    [Fact]
    public async Task Import_GrantNamingAnyManagementScope_IsAccepted()
    {
        using var host = new TenantHost();
        var json = $$"""
        {
          "clients": [ { "client_id": "ops", "client_secret": "ops-secret-0123456789-abcdefghijklm", "app_type": "non_interactive" } ],
          "client_grants": [ { "client_id": "ops", "audience": "http://127.0.0.1:7391/api/v2/", "scope": [ {{string.Join(", ", ManagementScopes.All.Select(s => $"\"{s}\""))}} ] } ]
        }
        """;

        await (await host.BuildWithFileAsync(json)).DisposeAsync();

        var grant = await host.QueryAsync(db => db.Set<ClientGrant>().SingleAsync(g => g.ClientId == "ops"));
        Assert.Equal(ManagementScopes.All, grant.Scope);
    }

    [Fact]
    public async Task Import_SameKeysTwice_UpdatesValuesWithoutDuplicates()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();
        var before = await host.CountAsync();
        var aliceId = await host.QueryAsync(db => db.Set<User>().Where(u => u.NormalizedEmail == "alice@example.com").Select(u => u.UserId).SingleAsync());

        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();
        Assert.Equal(before, await host.CountAsync());

        await (await host.BuildWithFileAsync(TenantFiles.ValidChanged)).DisposeAsync();
        Assert.Equal(before, await host.CountAsync());
        Assert.Equal(new TenantHost.Counts(2, 2, 2, 1, 2), before);

        var (api, worker, grant, role, alice) = await host.QueryAsync(async db => (
            await db.Set<Api>().SingleAsync(a => a.Identifier == "https://orders.example.com"),
            await db.Set<Application>().SingleAsync(a => a.ClientId == "orders-worker"),
            await db.Set<ClientGrant>().SingleAsync(g => g.Audience == "https://orders.example.com"),
            await db.Set<Role>().SingleAsync(r => r.Name != DashboardDefinition.AdministratorRole),
            await db.Set<User>().SingleAsync(u => u.NormalizedEmail == "alice@example.com")));
        Assert.Equal("Orders v2", api.Name);
        Assert.Equal(ClientSecretVerification.Success, await host.VerifySecretAsync("rotated-secret-9876543210-abcdefghijklm", worker.ClientSecretHash!));
        Assert.Equal(ClientSecretVerification.Failed, await host.VerifySecretAsync("worker-secret-0123456789-abcdefghijklm", worker.ClientSecretHash!));
        Assert.Equal(["read:orders", "write:orders"], grant.Scope);
        Assert.Equal("Reads and writes", role.Description);
        Assert.Equal(aliceId, alice.UserId);
        Assert.Equal("""{"theme":"light"}""", alice.UserMetadata);
        Assert.Equal(PasswordVerificationResult.Success, VerifyPassword(alice, "new password for alice"));
        Assert.Equal(PasswordVerificationResult.Failed, VerifyPassword(alice, "correct horse battery"));
    }

    [Fact]
    public async Task Import_BadReferenceAfterGoodEntities_WritesNothing()
    {
        using var host = new TenantHost();
        await (await host.BuildWithFileAsync(TenantFiles.Valid)).DisposeAsync();
        var before = await host.CountAsync();
        var bad = TenantFiles.ValidChanged
            .Replace("\"resource_servers\": [", "\"resource_servers\": [ { \"identifier\": \"https://new.example.com\", \"scopes\": [] },", StringComparison.Ordinal)
            .Replace("\"roles\": [ \"clerk\" ]", "\"roles\": [ \"clerk\", \"ghost\" ]", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync(bad));

        Assert.Equal($"{host.TenantFile}: users[0].roles[1]: \"ghost\" is not a role in this file or the tenant", error.Message);
        Assert.Equal(before, await host.CountAsync());
        Assert.Equal("Orders", await host.QueryAsync(db => db.Set<Api>().Where(a => a.Identifier == "https://orders.example.com").Select(a => a.Name).SingleAsync()));
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": ["https://ok.example.com/cb"] }, { "client_id": "b", "app_type": "spa" }, { "client_id": "c", "app_type": "spa", "callbacks": ["javascript:alert(1)"] } ] }""",
          "clients[2].callbacks[0]: \"javascript:alert(1)\" is not an absolute http(s) URL" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "allowed_logout_urls": ["data:text/html,hi"] } ] }""",
          "clients[0].allowed_logout_urls[0]: \"data:text/html,hi\" is not an absolute http(s) URL" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": ["/relative/cb"] } ] }""",
          "clients[0].callbacks[0]: \"/relative/cb\" is not an absolute http(s) URL" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": ["https://app.example.com/cb#x"] } ] }""",
          "clients[0].callbacks[0]: \"https://app.example.com/cb#x\" must not contain a fragment (#)" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": ["https://*.example.com/cb"] } ] }""",
          "clients[0].callbacks[0]: \"https://*.example.com/cb\" contains a wildcard; list each URL exactly" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": ["http://app.example.com/cb"] } ] }""",
          "clients[0].callbacks[0]: \"http://app.example.com/cb\" uses http; only localhost and loopback addresses may use http, use https" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": ["https://user:pw@app.example.com/cb"] } ] }""",
          "clients[0].callbacks[0]: \"https://user:pw@app.example.com/cb\" must not contain user information (user:password@)" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "web_origins": ["https://app.example.com/path"] } ] }""",
          "clients[0].web_origins[0]: \"https://app.example.com/path\" is not an origin (scheme://host[:port], no path, query or fragment)" },
        { """{ "clients": [ { "name": "no id", "app_type": "spa" } ] }""",
          "clients[0].client_id: is required" },
        { """{ "resource_servers": [ { "identifier": "https://api.example.com", "name": "API", "signing_alg": "PS256" } ] }""",
          "resource_servers[0].signing_alg: unknown value \"PS256\" (expected one of: RS256)" },
        { """{ "clients": [ { "client_id": "a", "app_type": "mobile" } ] }""",
          "clients[0].app_type: unknown value \"mobile\" (expected one of: spa, regular_web, native, non_interactive)" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "grant_types": ["authorization_code", "password"] } ] }""",
          "clients[0].grant_types[1]: unknown grant type \"password\" (expected one of: authorization_code, implicit, refresh_token, client_credentials)" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "grant_types": ["client_credentials"] } ] }""",
          "clients[0].grant_types[0]: a spa application is public and cannot use client_credentials" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": "https://app.example.com/cb" } ] }""",
          "clients[0].callbacks: expected an array of strings, got the string \"https://app.example.com/cb\"" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "callback": [] } ] }""",
          "clients[0].callback: unknown property" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "token_endpoint_auth_method": "client_secret_post" } ] }""",
          "clients[0].token_endpoint_auth_method: a spa application is public: its token_endpoint_auth_method is \"none\"" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "client_metadata": { "plan": 1 } } ] }""",
          "clients[0].client_metadata.plan: expected a string, got the number 1" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "jwt_configuration": { "lifetime_in_seconds": 36000, "alg": "HS256" } } ] }""",
          "clients[0].jwt_configuration.alg: unknown property" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "description": "{{new string('d', 141)}}" } ] }""".Replace("{{new string('d', 141)}}", new string('d', 141), StringComparison.Ordinal),
          "clients[0].description: must be at most 140 characters" },
        { """{ "resource_servers": [ { "identifier": "https://x", "token_lifetime": 600, "token_lifetime_for_web": 7200 } ] }""",
          "resource_servers[0].token_lifetime_for_web: 7200 must not exceed token_lifetime (600)" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "client_secret": "0123456789abcdef0123456789abcdef" } ] }""",
          "clients[0].client_secret: a spa application is public and must not have a secret" },
        { """{ "clients": [ { "client_id": "m", "app_type": "non_interactive", "client_secret": "0123456789abcdef0123456789abcde" } ] }""",
          "clients[0].client_secret: must be at least 32 characters (use a generated random secret)" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa" }, { "client_id": "a", "app_type": "spa" } ] }""",
          "clients[1].client_id: \"a\" is a duplicate of clients[0].client_id" },
        { """{ "clients": [ { "client_id": "a", "app_type": "spa", "refresh_token": { "leeway": "ten" } } ] }""",
          "clients[0].refresh_token.leeway: expected an integer, got the string \"ten\"" },
        { """{ "resource_servers": [ { "identifier": "https://x", "token_lifetime": 0 } ] }""",
          "resource_servers[0].token_lifetime: 0 is out of range (60 to 2592000)" },
        { """{ "resource_servers": [ { "identifier": "http://127.0.0.1:7391/api/v2/" } ] }""",
          "resource_servers[0].identifier: \"http://127.0.0.1:7391/api/v2/\" is the built-in Management API; it cannot be redefined" },
        { """{ "resource_servers": [ { "identifier": "https://x", "scopes": [ { "value": "read x" } ] } ] }""",
          "resource_servers[0].scopes[0].value: \"read x\" is not a valid scope" },
        { """{ "client_grants": [ { "client_id": "ghost", "audience": "http://127.0.0.1:7391/api/v2/", "scope": ["read:users"] } ] }""",
          "client_grants[0].client_id: \"ghost\" is not an application in this file or the tenant" },
        { """{ "clients": [ { "client_id": "m", "app_type": "non_interactive", "client_secret": "0123456789abcdef0123456789abcdef" } ], "client_grants": [ { "client_id": "m", "audience": "https://nowhere", "scope": [] } ] }""",
          "client_grants[0].audience: \"https://nowhere\" is not an API in this file or the tenant" },
        { """{ "resource_servers": [ { "identifier": "https://x", "scopes": [ { "value": "read:x" } ] } ], "clients": [ { "client_id": "m", "app_type": "non_interactive", "client_secret": "0123456789abcdef0123456789abcdef" } ], "client_grants": [ { "client_id": "m", "audience": "https://x", "scope": ["read:x", "delete:x"] } ] }""",
          "client_grants[0].scope[1]: \"delete:x\" is not a scope of API \"https://x\"" },
        { """{ "clients": [ { "client_id": "s", "app_type": "spa" } ], "client_grants": [ { "client_id": "s", "audience": "http://127.0.0.1:7391/api/v2/", "scope": ["read:users"] } ] }""",
          "client_grants[0].client_id: \"s\" is a spa application; client grants are for confidential applications (client_credentials)" },
        { """{ "roles": [ { "name": "r", "permissions": [ { "resource_server_identifier": "http://127.0.0.1:7391/api/v2/", "permission_name": "read:everything" } ] } ] }""",
          "roles[0].permissions[0].permission_name: \"read:everything\" is not a scope of API \"http://127.0.0.1:7391/api/v2/\"" },
        { """{ "roles": [ { "name": "r", "permissions": [ { "resource_server_identifier": "https://ghost", "permission_name": "x" } ] } ] }""",
          "roles[0].permissions[0].resource_server_identifier: \"https://ghost\" is not an API in this file or the tenant" },
        { """{ "users": [ { "email": "a@example.com", "roles": ["admin"] } ] }""",
          "users[0].roles[0]: \"admin\" is not a role in this file or the tenant" },
        { """{ "users": [ { "email": "a@example.com", "permissions": [ { "resource_server_identifier": "https://ghost", "permission_name": "x" } ] } ] }""",
          "users[0].permissions[0].resource_server_identifier: \"https://ghost\" is not an API in this file or the tenant" },
        { """{ "users": [ { "email": "a@example.com", "permissions": [ { "resource_server_identifier": "http://127.0.0.1:7391/api/v2/", "permission_name": "read:everything" } ] } ] }""",
          "users[0].permissions[0].permission_name: \"read:everything\" is not a scope of API \"http://127.0.0.1:7391/api/v2/\"" },
        { """{ "users": [ { "email": "a@example.com", "permissions": [ { "resource_server_identifier": "http://127.0.0.1:7391/api/v2/" } ] } ] }""",
          "users[0].permissions[0].permission_name: is required" },
        { """{ "users": [ { "email": "a@example.com" }, { "email": " A@Example.COM" } ] }""",
          "users[1].email: \"A@Example.COM\" is a duplicate of users[0].email" },
        { """{ "users": [ { "email": "not-an-email" } ] }""",
          "users[0].email: \"not-an-email\" is not an email address" },
        // The one email rule (Users/EmailAddress), as at sign-up: the domain needs a dot.
        { """{ "users": [ { "email": "a@localhost" } ] }""",
          "users[0].email: \"a@localhost\" is not an email address" },
        { """{ "users": [ { "email": "a@example.com", "password": "short" } ] }""",
          "users[0].password: the password must be at least 8 characters" },
        { $$"""{ "users": [ { "email": "a@example.com", "password": "{{new string('x', 129)}}" } ] }""",
          "users[0].password: the password must be at most 128 characters" },
        { """{ "users": [ { "email": "long.address@example.com", "password": "Long.Address@example.com" } ] }""",
          "users[0].password: the password must not be the email address" },
        { """{ "users": [ { "email": "a@example.com", "user_metadata": [] } ] }""",
          "users[0].user_metadata: expected an object, got an array" },
        { """{ "users": [ { "email": "a@example.com", "email_verified": "yes" } ] }""",
          "users[0].email_verified: expected true or false, got the string \"yes\"" },
        { """[]""",
          "(root): expected an object with resource_servers, clients, client_grants, roles, users, connections, actions, triggers, got an array" },
        { "{\n  \"clients\": [\n    { \"client_id\": \"a\" \"app_type\": \"spa\" }\n  ]\n}",
          "line 3, position 24: malformed JSON: " },
        { """{ "clients": [], "clients": [] }""",
          "malformed JSON: Duplicate property 'clients'" },
        { """{ "users": [ { "email": "a@example.com", "name": "\ud800" } ] }""",
          "malformed JSON: a lone surrogate escape" },
        { """{ "users": [ { "email": "a@example.com", "user_metadata": { "a": 1, "a": 2 } } ] }""",
          "malformed JSON: Duplicate property 'a'" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task Import_BadFile_FailsWithPathMessageAndWritesNothing(string json, string expected)
    {
        using var host = new TenantHost();

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync(json));

        Assert.Contains($"{host.TenantFile}: {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        // Only the built-in Management API exists; nothing from the file was written.
        Assert.Equal(new TenantHost.Counts(1, 0, 0, 0, 0), await host.CountAsync());
    }

    [Fact]
    public async Task Import_FileWithInvalidUtf8_FailsWithMessageAndWritesNothing()
    {
        using var host = new TenantHost();
        await File.WriteAllBytesAsync(host.TenantFile, [.. "{ \"users\": [ { \"email\": \"a@example.com\", \"name\": \""u8, 0xC0, 0xAF, .. "\" } ] }"u8]);

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithExistingFileAsync());

        Assert.Equal($"{host.TenantFile}: malformed JSON: not valid UTF-8", error.Message);
        Assert.Equal(new TenantHost.Counts(1, 0, 0, 0, 0), await host.CountAsync());
    }

    [Fact]
    public async Task Import_SeveralProblems_ReportsEachOnItsOwnLine()
    {
        using var host = new TenantHost();
        const string json = """{ "clients": [ { "client_id": "a", "app_type": "spa", "callbacks": ["ftp://x", "https://ok.example.com/"] }, { "app_type": "robot" } ] }""";

        var error = await Assert.ThrowsAsync<TenantFileException>(() => host.BuildWithFileAsync(json));

        Assert.Equal(
            [
                "clients[0].callbacks[0]: \"ftp://x\" is not an absolute http(s) URL",
                "clients[1].client_id: is required",
                "clients[1].app_type: unknown value \"robot\" (expected one of: spa, regular_web, native, non_interactive)",
            ],
            error.Problems);
    }

    [Fact]
    public async Task Import_MissingFile_NamesTheFile()
    {
        using var host = new TenantHost();
        var missing = Path.Combine(Path.GetTempPath(), "latchkey-tests", "no-such-tenant.json");

        var error = await Assert.ThrowsAsync<TenantFileException>(() => Server.Hosting.LatchkeyServer.BuildAsync(
            ["--urls", "http://127.0.0.1:7392", "--ConnectionStrings:Latchkey", $"Data Source={Path.Combine(Path.GetDirectoryName(host.TenantFile)!, "x.db")}", "--Latchkey:Import", missing]));

        Assert.StartsWith($"{missing}: cannot read the file: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_NativeApplication_AcceptsPrivateUseSchemeCallback()
    {
        const string json = """{ "clients": [ { "client_id": "n", "app_type": "native", "callbacks": ["com.example.app:/callback"] } ] }""";

        var file = TenantFileReader.Parse(json, "tenant.json");

        Assert.Equal(["com.example.app:/callback"], file.Clients[0].Callbacks);
        Assert.Throws<TenantFileException>(() => TenantFileReader.Parse(json.Replace("native", "spa", StringComparison.Ordinal), "tenant.json"));
    }

    private static PasswordVerificationResult VerifyPassword(User user, string password) =>
        new PasswordHasher<User>().VerifyHashedPassword(user, user.PasswordHash!, password);

}
