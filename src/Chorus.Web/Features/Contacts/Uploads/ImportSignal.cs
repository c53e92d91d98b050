using Chorus.Infrastructure.Hosting;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>Wakes the import worker as soon as an upload is stored.</summary>
public sealed class ImportSignal : WorkSignal;
