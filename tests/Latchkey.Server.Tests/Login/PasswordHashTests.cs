using System.Buffers.Binary;
using System.Net;
using Latchkey.Server.Persistence;
using Latchkey.Server.Tests.Infrastructure;
using Latchkey.Server.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tests.Login;

public sealed class PasswordHashTests : IAsyncLifetime
{
    private const string SharedPassword = "same-password-for-both";
    private LatchkeyTestServer _server = null!;

    public async Task InitializeAsync() => _server = await LatchkeyTestServer.StartAsync($$"""
        { "users": [ { "email": "one@example.com", "password": "{{SharedPassword}}" }, { "email": "two@example.com", "password": "{{SharedPassword}}" } ] }
        """);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    [Trait("Rule", "PWD-1")]
    [Trait("Rule", "PWD-2")]
    public async Task StoredHash_NewUser_IsIdentityV3Pbkdf2Sha512With210kIterations()
    {
        var users = await QueryAsync(db => db.Set<User>().ToListAsync());

        foreach (var user in users)
        {
            var (prf, iterations, saltLength) = Decode(user.PasswordHash!);
            Assert.Equal(KeyDerivationPrfSha512, prf);
            Assert.True(iterations >= 210_000, $"{iterations} iterations");
            Assert.Equal(16, saltLength);
        }

        Assert.NotEqual(users[0].PasswordHash, users[1].PasswordHash);
    }

    [Fact]
    public async Task Login_OldHashWith100kIterations_IsUpgradedTransparently()
    {
        var weak = new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 100_000 }));
        await QueryAsync(async db =>
        {
            var user = await db.Set<User>().SingleAsync(u => u.Email == "one@example.com");
            user.PasswordHash = weak.HashPassword(user, SharedPassword);
            return await db.SaveChangesAsync();
        });
        Assert.Equal(100_000, Decode(await StoredHashAsync()).Iterations);

        using var client = _server.CreateClient(new CookieContainer());
        using var response = await LoginDriver.LogInAsync(client, "one@example.com", SharedPassword);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var upgraded = await StoredHashAsync();
        Assert.Equal(210_000, Decode(upgraded).Iterations);
        var user = await QueryAsync(db => db.Set<User>().SingleAsync(u => u.Email == "one@example.com"));
        Assert.Equal(PasswordVerificationResult.Success, new PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 210_000 })).VerifyHashedPassword(user, upgraded, SharedPassword));
    }

    private const uint KeyDerivationPrfSha512 = 2;

    /// <summary>Identity v3 layout: 0x01, PRF (uint32 BE), iterations (uint32 BE), salt length (uint32 BE), salt, subkey.</summary>
    private static (uint Prf, int Iterations, int SaltLength) Decode(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return (BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9)));
    }

    private Task<string> StoredHashAsync() => QueryAsync(db => db.Set<User>().Where(u => u.Email == "one@example.com").Select(u => u.PasswordHash!).SingleAsync());

    private async Task<T> QueryAsync<T>(Func<LatchkeyDbContext, Task<T>> query)
    {
        await using var scope = _server.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<LatchkeyDbContext>());
    }
}
