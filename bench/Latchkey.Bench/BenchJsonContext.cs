using System.Text.Json.Serialization;

namespace Latchkey.Bench;

/// <summary>Source-generated JSON for the benchmark endpoint (the slim builder).</summary>
[JsonSerializable(typeof(Reply))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
