using System.Net;
using System.Security.Cryptography;
using System.Text;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tenants;
using Latchkey.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>
/// Client secrets are stored with a fast keyed hash (HMAC-SHA-256, server key), so a wrong secret costs the server
/// microseconds instead of a PBKDF2 run; secrets stored in the old PBKDF2 format keep working and are upgraded on
/// their first successful use; failed client authentication is rate-limited per Application and address.
/// </summary>
public sealed class ClientSecretTests
{
    private const string Invalid = "The specified client credentials are invalid.";
    private const string TooMany = "Too many failed authentications for this application from your address; try again later.";

    public static TheoryData<string> Providers => StorageServer.Providers;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StoredSecret_KeyedHmacAndLegacyPbkdf2UpgradedOnFirstSuccess(string provider)
    {
        await using var storage = await StorageServer.StartAsync(provider, ProtocolTenant.Json);
        var server = storage.Server;
        using var client = server.CreateClient();

        // Imported secrets are HMAC-SHA-256 under the server's key: neither PBKDF2 nor a plain SHA-256 of the secret.
        var imported = await StoredHashAsync(server);
        Assert.StartsWith("hmac-sha256$", imported, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ProtocolTenant.M2mSecret))), imported, StringComparison.Ordinal);

        // A database written by an earlier version: the secret stored as PBKDF2-SHA512.
        var salt = RandomNumberGenerator.GetBytes(16);
        var legacy = $"pbkdf2-sha512$210000${Convert.ToBase64String(salt)}${Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(ProtocolTenant.M2mSecret), salt, 210_000, HashAlgorithmName.SHA512, 32))}";
        await WithDbAsync(server, db => db.Set<Application>().Where(a => a.ClientId == ProtocolTenant.M2mClient)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.ClientSecretHash, legacy)));
        server.Services.GetRequiredService<TenantCache>().Invalidate();

        await AssertErrorAsync(await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, "a-wrong-secret-of-sufficient-length-00", ProtocolTenant.Api), HttpStatusCode.Unauthorized, "invalid_client", Invalid);
        Assert.Equal(legacy, await StoredHashAsync(server));
        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);

        var upgraded = await StoredHashAsync(server);
        Assert.StartsWith("hmac-sha256$", upgraded, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api)).StatusCode);
        await AssertErrorAsync(await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, "a-wrong-secret-of-sufficient-length-00", ProtocolTenant.Api), HttpStatusCode.Unauthorized, "invalid_client", Invalid);
    }

    [Fact]
    public async Task WrongSecret_TenFailuresFromOneAddress_ThenTooManyAttemptsEvenWithRightSecret()
    {
        // The proxy setting lets the test speak from several client addresses over loopback.
        await using var server = await LatchkeyTestServer.StartAsync(ProtocolTenant.Json, "--Latchkey:ForwardedHeaders:KnownProxies:0", "127.0.0.1");
        using var client = server.CreateClient();

        for (var i = 0; i < 10; i++)
        {
            var endpoint = i % 2 == 0 ? "oauth/token" : "oauth/revoke";
            await AssertErrorAsync(await PostAsync(client, endpoint, "198.51.100.1", ProtocolTenant.M2mClient, $"wrong-secret-number-{i:00}-0123456789abcdef"), HttpStatusCode.Unauthorized, "invalid_client", Invalid);
        }

        using var blocked = await PostAsync(client, "oauth/token", "198.51.100.1", ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret);
        await AssertErrorAsync(blocked, HttpStatusCode.TooManyRequests, "too_many_attempts", TooMany);
        var retryAfter = blocked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        await AssertErrorAsync(await PostAsync(client, "oauth/revoke", "198.51.100.1", ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret), HttpStatusCode.TooManyRequests, "too_many_attempts", TooMany);

        // Per Application and per address: the same client from another address, another client from the same address.
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, "oauth/token", "198.51.100.2", ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret)).StatusCode);
        await AssertErrorAsync(await PostAsync(client, "oauth/token", "198.51.100.1", ProtocolTenant.UngrantedM2mClient, "wrong-secret-for-another-client-012345"), HttpStatusCode.Unauthorized, "invalid_client", Invalid);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string endpoint, string address, string clientId, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent(endpoint == "oauth/token"
                ? [new("grant_type", "client_credentials"), new("client_id", clientId), new("client_secret", secret), new("audience", ProtocolTenant.Api)]
                : [new("client_id", clientId), new("client_secret", secret), new("token", "not-a-token")]),
        };
        request.Headers.Add("X-Forwarded-For", address);
        return client.SendAsync(request);
    }

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error, string description)
    {
        var body = await response.ReadJsonObjectAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.Equal(error, (string?)body["error"]);
        Assert.Equal(description, (string?)body["error_description"]);
    }

    private static Task<string> StoredHashAsync(LatchkeyTestServer server) =>
        WithDbAsync(server, db => db.Set<Application>().Where(a => a.ClientId == ProtocolTenant.M2mClient).Select(a => a.ClientSecretHash!).SingleAsync());

    private static async Task<T> WithDbAsync<T>(LatchkeyTestServer server, Func<LatchkeyDbContext, Task<T>> action)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }
}
