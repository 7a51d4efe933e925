using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Latchkey.Server.Hosting;

namespace Latchkey.Server.Management;

/// <summary>
/// Checks a parsed body against the shape of its request record before it is deserialized, so that every mistake gets
/// Auth0's JSON-schema message (<c>Payload validation error: 'Expected type boolean but found type string' on property
/// blocked.</c>) instead of a serializer exception. The record is the schema: member names from
/// <c>[JsonPropertyName]</c>, JSON types from the C# types, <c>null</c> allowed only where the C# type is nullable,
/// required members from <c>required</c> or constructor parameters without a default. Unknown members are refused.
/// </summary>
internal static class RequestShape
{
    private const string Prefix = "Payload validation error: ";

    /// <summary>The first problem with <paramref name="node"/> as a <paramref name="info"/>, or null.</summary>
    public static string? Check(JsonNode? node, JsonTypeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return CheckValue(node, info, path: null, nullable: false);
    }

    private static string? CheckValue(JsonNode? node, JsonTypeInfo info, string? path, bool nullable)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        var found = node is null ? JsonValueKind.Null : node.GetValueKind();
        if (found == JsonValueKind.Null)
        {
            return nullable || type == typeof(JsonNode) || type == typeof(JsonElement) ? null : Mismatch(ExpectedName(info, type), found, path);
        }

        if (info.Kind == JsonTypeInfoKind.Object)
        {
            return found == JsonValueKind.Object ? CheckObject(node!.AsObject(), info, path) : Mismatch("object", found, path);
        }

        if (info.Kind == JsonTypeInfoKind.Enumerable)
        {
            if (found != JsonValueKind.Array)
            {
                return Mismatch("array", found, path);
            }

            var element = info.Options.GetTypeInfo(info.ElementType!);
            var array = node!.AsArray();
            for (var i = 0; i < array.Count; i++)
            {
                if (CheckValue(array[i], element, $"{path}[{i}]", nullable: false) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        if (info.Kind == JsonTypeInfoKind.Dictionary)
        {
            if (found != JsonValueKind.Object)
            {
                return Mismatch("object", found, path);
            }

            var value = info.Options.GetTypeInfo(info.ElementType!);
            foreach (var (key, item) in node!.AsObject())
            {
                if (CheckValue(item, value, Join(path, key), nullable: false) is { } problem)
                {
                    return problem;
                }
            }

            return null;
        }

        return CheckScalar(node!, type, found, path);
    }

    private static string? CheckObject(JsonObject body, JsonTypeInfo info, string? path)
    {
        var members = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, _) in body)
        {
            if (!members.ContainsKey(name))
            {
                return Problem($"Additional properties not allowed: {name}", path);
            }
        }

        foreach (var member in info.Properties)
        {
            if (!body.TryGetPropertyValue(member.Name, out var value))
            {
                if (member.IsRequired)
                {
                    return Problem($"Missing required property: {member.Name}", path);
                }

                continue;
            }

            var memberInfo = info.Options.GetTypeInfo(member.PropertyType);
            if (CheckValue(value, memberInfo, Join(path, member.Name), member.IsSetNullable) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? CheckScalar(JsonNode node, Type type, JsonValueKind found, string? path)
    {
        if (type == typeof(string))
        {
            return found == JsonValueKind.String ? null : Mismatch("string", found, path);
        }

        if (type == typeof(bool))
        {
            return found is JsonValueKind.True or JsonValueKind.False ? null : Mismatch("boolean", found, path);
        }

        if (type == typeof(int) || type == typeof(long))
        {
            var element = found == JsonValueKind.Number ? node.GetValue<JsonElement>() : default;
            var fits = found == JsonValueKind.Number && (type == typeof(int) ? element.TryGetInt32(out _) : element.TryGetInt64(out _));
            return fits ? null : Mismatch("integer", found, path);
        }

        if (type == typeof(double) || type == typeof(decimal))
        {
            return found == JsonValueKind.Number ? null : Mismatch("number", found, path);
        }

        if (type == typeof(JsonObject))
        {
            return found == JsonValueKind.Object ? null : Mismatch("object", found, path);
        }

        if (type == typeof(JsonArray))
        {
            return found == JsonValueKind.Array ? null : Mismatch("array", found, path);
        }

        if (type == typeof(JsonNode) || type == typeof(JsonElement))
        {
            return null;
        }

        throw new NotSupportedException($"Request records use JSON-shaped members; {type} is not one (RequestShape).");
    }

    private static string ExpectedName(JsonTypeInfo info, Type type) => info.Kind switch
    {
        JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "object",
        JsonTypeInfoKind.Enumerable => "array",
        _ when type == typeof(string) => "string",
        _ when type == typeof(bool) => "boolean",
        _ when type == typeof(int) || type == typeof(long) => "integer",
        _ when type == typeof(double) || type == typeof(decimal) => "number",
        _ when type == typeof(JsonArray) => "array",
        _ => "object",
    };

    private static string Mismatch(string expected, JsonValueKind found, string? path) =>
        Problem($"Expected type {expected} but found type {StrictJson.TypeName(found)}", path);

    private static string Problem(string problem, string? path) =>
        path is null ? $"{Prefix}'{problem}'." : $"{Prefix}'{problem}' on property {path}.";

    private static string Join(string? path, string name) => path is null ? name : $"{path}.{name}";
}
