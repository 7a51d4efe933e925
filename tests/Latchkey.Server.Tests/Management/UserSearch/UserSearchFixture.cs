using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Management.UserSearch;

/// <summary>
/// A server on one storage provider with <see cref="ManagementTenant"/>'s alice and bob plus three users written
/// straight to the database with the dates, counts, names and metadata the search tests look for.
/// </summary>
public abstract class UserSearchFixture(string provider) : IAsyncLifetime
{
    private StorageServer? _storage;

    public LatchkeyTestServer Server => _storage?.Server ?? throw new InvalidOperationException("Not started.");

    public string Token { get; private set; } = string.Empty;

    public string CarolId { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _storage = await StorageServer.StartAsync(provider, ManagementTenant.Json, "--Latchkey:Issuer", ManagementTenant.Issuer);
        Token = ManagementTokens.Mint(Server, "search-admin@clients", "read:users read:clients", client: true);
        await using var scope = Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();
        var carol = Seed("carol@example.org", "2024-01-15T10:00:00Z", 5, u =>
        {
            u.GivenName = "Carol";
            u.FamilyName = "Jones";
            u.Blocked = true;
            u.EmailVerified = true;
            u.AppMetadata = """{"plan":"silver","level":3,"beta":true,"org":{"name":"acme"}}""";
        });
        CarolId = carol.UserId;
        db.AddRange(
            carol,
            Seed("dave@example.org", "2024-03-01T08:30:00Z", 12, u =>
            {
                u.GivenName = "Dave";
                u.FamilyName = "Jones";
                u.LastLogin = DateTimeOffset.Parse("2024-03-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
                u.AppMetadata = """{"plan":"gold"}""";
            }),
            Seed("erin@test.io", "2023-06-30T23:00:00Z", 0, u => u.Name = "Erin O'Neil"));
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }
    }

    /// <summary>GET <paramref name="path"/> with the search token; the status and the parsed body.</summary>
    public async Task<(int Status, JsonNode Body)> GetAsync(string path, string? token = null)
    {
        using var client = Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>The emails <c>GET /api/v2/users?q=</c> finds, sorted.</summary>
    public async Task<string[]> SearchAsync(string q)
    {
        var (status, body) = await GetAsync($"api/v2/users?search_engine=v3&q={Uri.EscapeDataString(q)}");
        Assert.True(status == 200, $"{status}: {body.ToJsonString()}");
        return body.AsArray().Select(u => (string)u!["email"]!).Order(StringComparer.Ordinal).ToArray();
    }

    private static User Seed(string email, string createdAt, int logins, Action<User> configure)
    {
        var user = User.Create(email, DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture));
        user.LoginsCount = logins;
        configure(user);
        return user;
    }
}
