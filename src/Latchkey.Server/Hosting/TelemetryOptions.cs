namespace Latchkey.Server.Hosting;

/// <summary>
/// <c>Latchkey:Telemetry</c>. OTLP export needs no option of ours: it follows OpenTelemetry's standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and <c>OTEL_EXPORTER_OTLP_*</c>) settings when that one is present.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The opt-in Prometheus scrape endpoint.</summary>
    public PrometheusOptions Prometheus { get; set; } = new();
}
