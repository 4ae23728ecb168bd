package io.yoo.installer.core.descriptor;

import io.yoo.installer.core.net.Ipv4Cidr;

/** The Kubernetes cluster the machines form. */
public record KubernetesSettings(String version, Ipv4Cidr podCidr, Ipv4Cidr serviceCidr, String cni) {}
