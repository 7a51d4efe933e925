using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Latchkey.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Latchkey.Bench;

/// <summary>
/// Time and allocations per validated request through <c>AddLatchkey()</c> as ASP.NET Core runs it: a request with a
/// bearer token, <c>AuthenticateAsync</c> on the Latchkey scheme, then the authorization policy an endpoint with
/// <c>RequireAuthorization()</c> evaluates. The baseline is the same request against a scheme that checks nothing, so
/// the difference is what Latchkey adds per request; "first sight" turns the validated-token cache off (every request
/// pays the signature check). Metadata comes from an in-memory backchannel, so nothing here touches the network.
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks
{
    private const string TrivialScheme = "trivial";
    private IServiceProvider _cached = null!;
    private IServiceProvider _uncached = null!;
    private string _authorization = null!;

    [GlobalSetup]
    public void Setup()
    {
        var keys = new BenchKeys("https://auth.bench.local/");
        _authorization = "Bearer " + keys.Token();
        _cached = Build(keys, cacheEntries: 10_000);
        _uncached = Build(keys, cacheEntries: 0);
        if (!Validate(_cached, LatchkeyDefaults.AuthenticationScheme).GetAwaiter().GetResult()
            || !Validate(_uncached, LatchkeyDefaults.AuthenticationScheme).GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("the benchmark token does not validate");
        }
    }

    [Benchmark(Baseline = true, Description = "request through a scheme that checks nothing (the framework floor)")]
    public Task<bool> Floor() => Validate(_cached, TrivialScheme);

    [Benchmark(Description = "request through AddLatchkey, repeated token (cache hit)")]
    public Task<bool> LatchkeyRepeated() => Validate(_cached, LatchkeyDefaults.AuthenticationScheme);

    [Benchmark(Description = "request through AddLatchkey, first sight (signature checked)")]
    public Task<bool> LatchkeyFirstSight() => Validate(_uncached, LatchkeyDefaults.AuthenticationScheme);

    private async Task<bool> Validate(IServiceProvider services, string scheme)
    {
        // One DI scope per request, as ASP.NET Core makes: authentication handlers are per request (scoped).
        await using var scope = services.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Headers.Authorization = _authorization;
        var evaluator = scope.ServiceProvider.GetRequiredService<IPolicyEvaluator>();
        var policy = new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser().Build();
        var authentication = await evaluator.AuthenticateAsync(policy, http);
        var authorization = await evaluator.AuthorizeAsync(policy, authentication, http, resource: null);
        return authorization.Succeeded;
    }

    private static ServiceProvider Build(BenchKeys keys, int cacheEntries)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddLogging();
        services.AddAuthorization();
        services.AddAuthentication()
            .AddLatchkey(o =>
            {
                o.Authority = keys.Issuer;
                o.Audience = BenchKeys.Audience;
                o.TokenCacheEntries = cacheEntries;
                o.BackchannelHandler = new InMemoryAuthority(keys);
            })
            .AddScheme<AuthenticationSchemeOptions, TrivialHandler>(TrivialScheme, null);
        return services.BuildServiceProvider();
    }

    private sealed class InMemoryAuthority(BenchKeys keys) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.RequestUri!.AbsolutePath.EndsWith("jwks.json", StringComparison.Ordinal) ? keys.Jwks : keys.Discovery;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
