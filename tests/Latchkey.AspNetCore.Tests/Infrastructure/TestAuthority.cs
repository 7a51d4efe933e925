using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Latchkey.AspNetCore.Tests.Infrastructure;

/// <summary>
/// A tiny authorization server on Kestrel (127.0.0.1): discovery and a JWKS built from keys the test controls, and a
/// counter per path so tests can see every fetch. Tokens are minted by hand so each can break exactly one rule.
/// </summary>
public sealed class TestAuthority : IAuthorityInfo, IAsyncDisposable
{
    public const string Audience = "https://quickstarts/api";
    public const string ClientId = "samples-spa";

    private readonly WebApplication _app;
    private readonly Dictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private List<SigningKey> _published;

    private TestAuthority(WebApplication app, FakeTimeProvider clock, SigningKey key)
    {
        _app = app;
        Clock = clock;
        Key = key;
        _published = [key];
    }

    /// <summary>The clock tokens are minted against (the API under test shares it).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The first signing key; published until a test removes it.</summary>
    public SigningKey Key { get; }

    public string Issuer { get; private set; } = "";

    public static async Task<TestAuthority> StartAsync(FakeTimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var authority = new TestAuthority(app, clock ?? new FakeTimeProvider(DateTimeOffset.UtcNow), SigningKey.Rsa("key-1"));
        app.Use(async (context, next) =>
        {
            lock (authority._lock)
            {
                authority._hits[context.Request.Path.Value ?? ""] = authority.Hits(context.Request.Path.Value ?? "") + 1;
            }

            await next(context);
        });
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = authority.Issuer,
            ["jwks_uri"] = authority.Issuer + ".well-known/jwks.json",
            ["authorization_endpoint"] = authority.Issuer + "authorize",
            ["token_endpoint"] = authority.Issuer + "oauth/token",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256", "PS256", "ES256" },
        }));
        app.MapGet("/.well-known/jwks.json", () =>
        {
            List<SigningKey> keys;
            lock (authority._lock)
            {
                keys = [.. authority._published];
            }

            return Results.Json(new { keys = keys.Select(k => k.PublicJwk()).ToArray() });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        authority.Issuer = address.TrimEnd('/') + "/";
        return authority;
    }

    public int Hits(string path)
    {
        lock (_lock)
        {
            return _hits.GetValueOrDefault(path);
        }
    }

    public int JwksFetches => Hits("/.well-known/jwks.json");

    /// <summary>Replaces the published key set (rotation).</summary>
    public void Publish(params SigningKey[] keys)
    {
        lock (_lock)
        {
            _published = [.. keys];
        }
    }

    /// <summary>A valid access token's payload: iss, aud, sub, azp, iat, exp (+1 h), scope, permissions.</summary>
    public Dictionary<string, object?> Claims(string scope = "openid profile read:messages", params string[] permissions) => new()
    {
        ["iss"] = Issuer,
        ["sub"] = "latchkey|0123456789abcdef01234567",
        ["aud"] = new[] { Audience, Issuer + "userinfo" },
        ["azp"] = ClientId,
        ["iat"] = Clock.GetUtcNow().ToUnixTimeSeconds(),
        ["exp"] = Clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(),
        ["scope"] = scope,
        ["permissions"] = permissions.Length == 0 ? new[] { "read:messages" } : permissions,
    };

    /// <summary>A token with the given payload (default: valid) signed by <paramref name="key"/> (default: <see cref="Key"/>).</summary>
    public string Mint(Action<Dictionary<string, object?>>? payload = null, Action<Dictionary<string, object?>>? header = null, SigningKey? key = null)
    {
        key ??= Key;
        var claims = Claims();
        payload?.Invoke(claims);
        var head = new Dictionary<string, object?> { ["alg"] = key.Algorithm, ["typ"] = "at+jwt", ["kid"] = key.KeyId };
        header?.Invoke(head);
        return MintRaw(JsonSerializer.Serialize(head), JsonSerializer.Serialize(claims), key);
    }

    /// <summary>Signs exactly the given JSON texts (duplicates, odd encodings) with <paramref name="key"/>.</summary>
    public static string MintRaw(string headerJson, string payloadJson, SigningKey key)
    {
        var input = B64(Encoding.UTF8.GetBytes(headerJson)) + "." + B64(Encoding.UTF8.GetBytes(payloadJson));
        return input + "." + B64(key.Sign(Encoding.ASCII.GetBytes(input)));
    }

    public static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Json(object value) => JsonSerializer.Serialize(value);

    public HttpClient CreateClient() => new() { BaseAddress = new Uri(Issuer) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
