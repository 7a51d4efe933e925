using BenchmarkDotNet.Attributes;
using Latchkey.AspNetCore.Caching;
using Latchkey.AspNetCore.Metadata;
using Latchkey.AspNetCore.Validation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace Latchkey.Bench;

/// <summary>
/// The validator alone: a repeated token (cache hit), a token seen for the first time (cache miss: preflight + IdentityModel
/// + RSA), and what plain JwtBearer pays per request (JsonWebTokenHandler.ValidateTokenAsync).
/// </summary>
[MemoryDiagnoser]
public class ValidatorBenchmarks
{
    private LatchkeyTokenValidator _cached = null!;
    private LatchkeyTokenValidator _uncached = null!;
    private JsonWebTokenHandler _handler = null!;
    private TokenValidationParameters _parameters = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        var keys = new BenchKeys("https://auth.bench.local/");
        _token = keys.Token();
        _cached = Create(keys, cacheEntries: 10_000);
        _uncached = Create(keys, cacheEntries: 0);
        if (_cached.ValidateAsync(_token.AsMemory()).AsTask().GetAwaiter().GetResult().Principal is null
            || _uncached.ValidateAsync(_token.AsMemory()).AsTask().GetAwaiter().GetResult().Principal is null)
        {
            throw new InvalidOperationException("the benchmark token does not validate");
        }

        _handler = new JsonWebTokenHandler { MapInboundClaims = false };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = keys.Issuer,
            ValidAudience = BenchKeys.Audience,
            IssuerSigningKeys = new JsonWebKeySet(keys.Jwks).GetSigningKeys(),
        };
    }

    [Benchmark(Baseline = true, Description = "IdentityModel ValidateTokenAsync (what JwtBearer does per request)")]
    public async Task<bool> IdentityModel() => (await _handler.ValidateTokenAsync(_token, _parameters)).IsValid;

    [Benchmark(Description = "Latchkey validator, first sight (preflight + IdentityModel)")]
    public async Task<bool> LatchkeyMiss() => (await _uncached.ValidateAsync(_token.AsMemory())).Principal is not null;

    [Benchmark(Description = "Latchkey validator, repeated token (SHA-256 + cache)")]
    public async Task<bool> LatchkeyHit() => (await _cached.ValidateAsync(_token.AsMemory())).Principal is not null;

    private static LatchkeyTokenValidator Create(BenchKeys keys, int cacheEntries)
    {
        var issuer = new Uri(keys.Issuer);
        var retriever = new InMemoryRetriever(keys);
        return new LatchkeyTokenValidator(
            issuer,
            BenchKeys.Audience,
            ["RS256", "PS256", "ES256"],
            TimeSpan.FromSeconds(30),
            16 * 1024,
            new ValidatedTokenCache(cacheEntries, 32L * 1024 * 1024),
            changed => new AuthorityMetadata(issuer, retriever, TimeProvider.System, TimeSpan.FromHours(1), TimeSpan.FromSeconds(30), NullLogger.Instance, changed),
            TimeProvider.System,
            NullLogger.Instance);
    }

    private sealed class InMemoryRetriever(BenchKeys keys) : IDocumentRetriever
    {
        public Task<string> GetDocumentAsync(string address, CancellationToken cancel) =>
            Task.FromResult(address.EndsWith("jwks.json", StringComparison.Ordinal) ? keys.Jwks : keys.Discovery);
    }
}
