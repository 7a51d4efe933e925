using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Protocol.Keys;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Server.Tests.Protocol;

public sealed class SigningKeyTests
{
    [Fact]
    public async Task SigningKey_Restart_KeepsKidAndOldTokensStillVerify()
    {
        using var persistent = new PersistentServer();
        string firstKid, token;
        var first = await persistent.StartAsync(ProtocolTenant.Json);
        using (var client = persistent.CreateClient())
        {
            firstKid = await KidsAsync(client);
            var response = await client.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
            token = (string)(await response.ReadJsonObjectAsync())["access_token"]!;
        }

        await PersistentServer.StopAsync(first);
        var second = await persistent.StartAsync(ProtocolTenant.Json);
        using var secondClient = persistent.CreateClient();

        Assert.Equal(firstKid, await KidsAsync(secondClient));
        var jwks = new JsonWebKeySet(await secondClient.GetStringAsync(".well-known/jwks.json"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = persistent.Issuer,
            ValidAudience = ProtocolTenant.Api,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var response2 = await secondClient.ClientCredentialsAsync(ProtocolTenant.M2mClient, ProtocolTenant.M2mSecret, ProtocolTenant.Api);
        var (header, _) = TokenClient.Decode((string)(await response2.ReadJsonObjectAsync())["access_token"]!);
        Assert.Equal(firstKid.Split(',')[0], (string?)header["kid"]);
        await PersistentServer.StopAsync(second);
    }

    [Fact]
    public async Task SigningKey_PrivatePart_IsStoredProtectedNotInTheClear()
    {
        await using var server = await Infrastructure.LatchkeyTestServer.StartAsync(ProtocolTenant.Json);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>();

        var keys = await db.Set<ProtocolKey>().AsNoTracking().ToListAsync();

        Assert.Contains(keys, k => k.Use == ProtocolKeyUse.Signing);
        Assert.Contains(keys, k => k.Use == ProtocolKeyUse.SymmetricEncryption);
        Assert.DoesNotContain(keys, k => k.Use == ProtocolKeyUse.Encryption);
        foreach (var key in keys)
        {
            var stored = Convert.FromBase64String(key.ProtectedPrivateKey);
            using var rsa = System.Security.Cryptography.RSA.Create();
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => rsa.ImportPkcs8PrivateKey(stored, out _));
        }
    }

    [Fact]
    public async Task RefreshToken_Issued_IsWrappedWithTheSharedAesKey()
    {
        await using var server = await Infrastructure.LatchkeyTestServer.StartAsync(ProtocolTenant.Json);

        var tokens = await new CodeFlow().RunAsync(server);

        var header = System.Text.Json.Nodes.JsonNode.Parse(Base64UrlEncoder.Decode(((string)tokens["refresh_token"]!).Split('.')[0]))!;
        Assert.Equal("A256KW", (string?)header["alg"]);
        await using var scope = server.Services.CreateAsyncScope();
        var aes = await scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>().Set<ProtocolKey>().AsNoTracking()
            .SingleAsync(k => k.Use == ProtocolKeyUse.SymmetricEncryption);
        Assert.Equal(aes.Id, (string?)header["kid"]);
    }

    private static async Task<string> KidsAsync(HttpClient client)
    {
        var response = await client.GetAsync(".well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var keys = (await response.ReadJsonObjectAsync())["keys"]!.AsArray();
        return string.Join(",", keys.Select(k => (string?)k!["kid"]));
    }
}
