package io.raftswarm.swarm.cli;

import io.raftswarm.swarm.inventory.Values;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A byte size written as in the inventory and configtx.yaml ("99 MB", "512 KB", 1048576), up to 2 GB. */
final class ByteSizeConverter implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    Integer bytes = Values.intBytes(value.trim());
    if (bytes == null) {
      throw new TypeConversionException("'" + value + "' is not " + Values.SIZE_EXPECTED + " below 2 GB");
    }
    return bytes;
  }
}
