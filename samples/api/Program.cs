using Latchkey.Samples.Api;

var app = SampleApi.Build(args);
await app.RunAsync();
