using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Tests.Protocol;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Rbac;

/// <summary>
/// One server with <see cref="RbacTenant"/>. Tests that change roles make their own (unique names) and their own users,
/// so they can share it.
/// </summary>
public sealed class RbacServerFixture : IAsyncLifetime
{
    private LatchkeyTestServer? _server;

    public LatchkeyTestServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>A real client_credentials token of <see cref="RbacTenant.Admin"/> (every roles and role-members scope).</summary>
    public string AdminToken { get; private set; } = string.Empty;

    /// <summary>A real token of <see cref="RbacTenant.Reader"/>: <c>read:clients</c> only.</summary>
    public string ReaderToken { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await LatchkeyTestServer.StartAsync(RbacTenant.Json, "--Latchkey:Issuer", RbacTenant.Issuer);
        AdminToken = await ClientTokenAsync(RbacTenant.Admin, RbacTenant.AdminSecret, RbacTenant.ManagementAudience);
        ReaderToken = await ClientTokenAsync(RbacTenant.Reader, RbacTenant.ReaderSecret, RbacTenant.ManagementAudience);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>A new user with a password and the given roles (by name), straight into the database.</summary>
    public async Task<(string UserId, string Email)> CreateUserAsync(string password = "rbac-password-1", params string[] roles)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var email = $"u{Guid.NewGuid():N}@example.com";
        var user = User.Create(email, DateTimeOffset.UtcNow);
        user.PasswordHash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>().HashPassword(user, password);
        var tenant = await scope.ServiceProvider.GetRequiredService<TenantCache>().GetAsync();
        user.Roles.AddRange(roles.Select(r => new UserRole { UserId = user.UserId, RoleId = tenant.Roles[r].Id }));
        db.Add(user);
        await db.SaveChangesAsync();
        return (user.UserId, email);
    }

    public async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }

    public async Task<string> ClientTokenAsync(string clientId, string secret, string audience)
    {
        using var client = Server.CreateClient();
        using var response = await client.ClientCredentialsAsync(clientId, secret, audience);
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return (string)body["access_token"]!;
    }

    /// <summary>A Management API call with <paramref name="token"/> (the administrator's by default).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(method, new Uri("api/v2/" + path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? AdminToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    /// <summary>A Management API call that must answer <paramref name="status"/>; returns its JSON (null when empty).</summary>
    public async Task<JsonNode?> CallAsync(HttpStatusCode status, HttpMethod method, string path, string? json = null, string? token = null)
    {
        using var response = await SendAsync(method, path, json, token);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{method} {path}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    /// <summary>A Management API call that must fail with Auth0's error shape, <paramref name="status"/> and <paramref name="errorCode"/>.</summary>
    public async Task<JsonObject> AssertErrorAsync(HttpStatusCode status, string errorCode, HttpMethod method, string path, string? json = null, string? token = null)
    {
        var error = (await CallAsync(status, method, path, json, token))!.AsObject();
        Assert.Equal((int)status, (int)error["statusCode"]!);
        Assert.Equal(errorCode, (string?)error["errorCode"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));
        return error;
    }

    /// <summary>Creates a role through the API (unique name) and returns its id.</summary>
    public async Task<string> CreateRoleAsync(params (string Api, string Permission)[] permissions)
    {
        var role = await CallAsync(HttpStatusCode.OK, HttpMethod.Post, "roles", $$"""{"name":"role-{{Guid.NewGuid():N}}"}""");
        var id = (string)role!["id"]!;
        if (permissions.Length > 0)
        {
            await CallAsync(HttpStatusCode.Created, HttpMethod.Post, $"roles/{id}/permissions", PermissionsBody(permissions));
        }

        return id;
    }

    public static string PermissionsBody(params (string Api, string Permission)[] permissions) =>
        new JsonObject
        {
            ["permissions"] = new JsonArray([.. permissions.Select(p => (JsonNode)new JsonObject { ["resource_server_identifier"] = p.Api, ["permission_name"] = p.Permission })]),
        }.ToJsonString();

    public static string Escape(string userId) => Uri.EscapeDataString(userId);
}
