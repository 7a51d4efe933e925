using System.Text.Json.Serialization;

namespace Latchkey.Bench;

internal sealed record Reply(string Message);

[JsonSerializable(typeof(Reply))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
