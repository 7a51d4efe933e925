namespace Latchkey.Server.Operations;

/// <summary>
/// Options bound from <c>Latchkey:Telemetry</c>. OTLP export needs no option of ours: it follows OpenTelemetry's
/// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and <c>OTEL_EXPORTER_OTLP_*</c>) settings when that one is present.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Latchkey:Telemetry";

    public PrometheusOptions Prometheus { get; set; } = new();
}
