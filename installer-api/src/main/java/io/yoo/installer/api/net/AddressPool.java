package io.yoo.installer.api.net;


/** An inclusive range of addresses handed out dynamically. */
public record AddressPool(Ipv4 start, Ipv4 end) {

    public boolean contains(Ipv4 address) {
        return start.compareTo(address) <= 0 && address.compareTo(end) <= 0;
    }

    public long size() {
        return end.unsigned() - start.unsigned() + 1;
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
