// Moving bytes in and out of Verilated ports, whatever type Verilator chose for the
// port's width (CData/SData/IData/QData up to 64 bits, VlWide above). Byte i of the
// buffer is bits [8i+7:8i] of the port: the little-endian image our formats use.
#ifndef TB_PORTS_H
#define TB_PORTS_H

#include <cstddef>
#include <cstring>
#include <type_traits>

#include "verilated.h"

template <typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0>
void put(T &port, const void *src, size_t n)
{
    T v = 0;
    std::memcpy(&v, src, n);
    port = v;
}

template <std::size_t N>
void put(VlWide<N> &port, const void *src, size_t n)
{
    std::memset(port.data(), 0, sizeof(EData) * N);
    std::memcpy(port.data(), src, n);
}

template <typename T, typename std::enable_if<std::is_integral<T>::value, int>::type = 0>
void get(const T &port, void *dst, size_t n)
{
    T v = port;
    std::memcpy(dst, &v, n);
}

template <std::size_t N>
void get(const VlWide<N> &port, void *dst, size_t n)
{
    std::memcpy(dst, port.data(), n);
}

#endif
