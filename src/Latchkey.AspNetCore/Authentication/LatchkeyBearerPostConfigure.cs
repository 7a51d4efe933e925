using Latchkey.AspNetCore.Caching;
using Latchkey.AspNetCore.Metadata;
using Latchkey.AspNetCore.Validation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;

namespace Latchkey.AspNetCore.Authentication;

/// <summary>Builds one validator (metadata, cache, parameters) per scheme once the options are final.</summary>
internal sealed class LatchkeyBearerPostConfigure : IPostConfigureOptions<LatchkeyBearerOptions>
{
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;

    public LatchkeyBearerPostConfigure(TimeProvider time, ILoggerFactory loggers)
    {
        _time = time;
        _loggers = loggers;
    }

    public void PostConfigure(string? name, LatchkeyBearerOptions options)
    {
        var issuer = AuthorityUri.TryNormalize(options.Authority, out _);
        if (issuer is null || string.IsNullOrWhiteSpace(options.Audience))
        {
            return; // The validator reports what is missing.
        }

        var logger = _loggers.CreateLogger("Latchkey.AspNetCore");
        var requireHttps = issuer.Scheme == Uri.UriSchemeHttps;
        if (!requireHttps)
        {
            logger.LogWarning(
                "Latchkey authority {Authority} uses plain http ({Reason}); use https outside development.",
                issuer,
                AuthorityUri.IsLoopback(issuer) ? "allowed because it is a loopback address" : "allowed by Latchkey:AllowHttpAuthority");
        }

        var handler = options.BackchannelHandler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var http = new HttpClient(handler, disposeHandler: options.BackchannelHandler is null)
        {
            Timeout = TimeSpan.FromSeconds(10),
            MaxResponseContentBufferSize = 1024 * 1024,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Latchkey.AspNetCore");
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = requireHttps };

        options.Validator = new LatchkeyTokenValidator(
            issuer,
            options.Audience,
            options.ValidAlgorithms,
            options.ClockSkew,
            options.MaxTokenBytes,
            new ValidatedTokenCache(options.TokenCacheEntries, options.TokenCacheBytes),
            changed => new AuthorityMetadata(issuer, retriever, _time, options.MetadataRefreshInterval, options.UnknownKeyRefreshInterval, logger, changed),
            _time,
            logger);
    }
}
