namespace Latchkey.Server.Hosting;

/// <summary>
/// The Prometheus scrape endpoint, off by default. When on, it must be protected: served only on a dedicated local port
/// (listed in <c>urls</c>, kept off the load balancer), or only to a scraper presenting <see cref="ScrapeToken"/> as a
/// bearer token, or both.
/// </summary>
public sealed class PrometheusOptions
{
    public bool Enabled { get; set; }

    public string Path { get; set; } = "/metrics";

    /// <summary>Answer only on connections to this local port (add it to <c>urls</c>, e.g. <c>http://127.0.0.1:9464</c>).</summary>
    public int? Port { get; set; }

    /// <summary>Answer only to <c>Authorization: Bearer &lt;ScrapeToken&gt;</c> (Prometheus <c>authorization.credentials</c>).</summary>
    public string? ScrapeToken { get; set; }
}
