namespace Chorus.Features.Campaigns.Templates;

/// <summary>How a message body goes over the air. One character outside GSM-7 makes the whole message UCS-2.</summary>
public enum SmsEncoding
{
    /// <summary>GSM 03.38 7-bit alphabet: 160 septets in one segment, 153 per segment when concatenated.</summary>
    Gsm7,

    /// <summary>UTF-16 code units: 70 in one segment, 67 per segment when concatenated.</summary>
    Ucs2,
}
