namespace Synapse.MessagePack;

/// <summary>The type families of the MessagePack type system.</summary>
public enum MsgPackType
{
    /// <summary>nil (0xc0).</summary>
    Nil,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>Any integer encoding: fixint, uint 8–64, int 8–64.</summary>
    Integer,

    /// <summary>float 32 or float 64.</summary>
    Float,

    /// <summary>A UTF-8 string: fixstr, str 8/16/32.</summary>
    String,

    /// <summary>A byte array: bin 8/16/32.</summary>
    Binary,

    /// <summary>An array: fixarray, array 16/32.</summary>
    Array,

    /// <summary>A map: fixmap, map 16/32.</summary>
    Map,

    /// <summary>An extension value (fixext, ext 8/16/32), including timestamps (type -1).</summary>
    Extension,
}
